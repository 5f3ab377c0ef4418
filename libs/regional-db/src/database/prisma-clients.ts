import { Inject } from '@nestjs/common';
import type { PrismaPg } from '@prisma/adapter-pg';
import type { RegionalDatabaseClients } from '../index';

/**
 * What the router needs of a Prisma client: the one every generated client has. The router builds one per
 * endpoint from the application's own generated class and hands it back typed as that class.
 */
export interface PrismaClientLike {
  $disconnect(): Promise<void>;
  $transaction(...args: never[]): Promise<unknown>;
}

/** The regional schema's client as the application declared it (`RegionalDatabaseClients`), else `PrismaClientLike`. */
export type RegionalClient = RegionalDatabaseClients extends { regional: infer C extends PrismaClientLike } ? C : PrismaClientLike;
/** The global schema's client as the application declared it, else `PrismaClientLike`. */
export type GlobalClient = RegionalDatabaseClients extends { global: infer C extends PrismaClientLike } ? C : PrismaClientLike;

/** A generated Prisma client class: built on a driver adapter, closed with `$disconnect`. */
export type PrismaClientClass<TClient extends PrismaClientLike = PrismaClientLike> = new (options: { adapter: PrismaPg; errorFormat: 'minimal' }) => TClient;

/** The application's generated client classes, one per schema: one client per endpoint is built from them. */
export interface PrismaClientClasses {
  regional: PrismaClientClass;
  /** Needed only when the topology has a global database. */
  global?: PrismaClientClass;
}

export const PRISMA_CLIENTS = Symbol('PRISMA_CLIENTS');
export const InjectPrismaClients = () => Inject(PRISMA_CLIENTS);
