import { Injectable } from '@nestjs/common';
import type { RegionalPrismaClient } from '../app-prisma-clients';
import { ConnectionRouter } from '@regional-db/nestjs';
import { UserDirectory } from './user-directory.service';

export interface LocatedUser<T> {
  region: string;
  row: T;
}

/**
 * Finds a user's rows in their home region: the directory names the region, a replica answers (the primary
 * when the replica has not replayed a fresh registration yet). When the region turns out not to hold the user
 * (a cached or replicated directory answer older than a home-region move), the directory's primary decides.
 */
@Injectable()
export class UserLocator {
  constructor(
    private readonly db: ConnectionRouter,
    private readonly directory: UserDirectory,
  ) {}

  /** `query` reads the user's row on the client it is given; null when nobody has the handle. */
  async locate<T>(handle: string, query: (db: RegionalPrismaClient) => Promise<T | null>): Promise<LocatedUser<T> | null> {
    const region = await this.directory.regionOf(handle);
    if (region === null) return null;
    const row = await this.readIn(region, query);
    if (row !== null) return { region, row };
    const current = await this.directory.refresh(handle);
    if (current === null || current === region) return null;
    const moved = await this.readIn(current, query);
    return moved === null ? null : { region: current, row: moved };
  }

  private async readIn<T>(region: string, query: (db: RegionalPrismaClient) => Promise<T | null>): Promise<T | null> {
    return (await query(this.db.read(region))) ?? query(this.db.write(region));
  }
}
