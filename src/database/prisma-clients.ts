import { Inject } from '@nestjs/common';
import type { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient as GlobalPrismaClient } from '../generated/global/client';
import { PrismaClient as RegionalPrismaClient } from '../generated/regional/client';

/** What the router needs of a generated Prisma client class: built on a driver adapter, closed with `$disconnect`. */
export type PrismaClientClass = new (options: { adapter: PrismaPg; errorFormat: 'minimal' }) => { $disconnect(): Promise<void> };

/** The generated client classes of the two schemas: one client per endpoint is built from them. */
export interface PrismaClientClasses {
  regional: PrismaClientClass;
  /** Needed only when the topology has a global database. */
  global?: PrismaClientClass;
}

export const PRISMA_CLIENTS = Symbol('PRISMA_CLIENTS');
export const InjectPrismaClients = () => Inject(PRISMA_CLIENTS);

/** This application's own clients (`prisma/regional`, `prisma/global`). */
export const APP_PRISMA_CLIENTS: PrismaClientClasses = { regional: RegionalPrismaClient, global: GlobalPrismaClient };
