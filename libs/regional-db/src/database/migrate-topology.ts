import { join } from 'node:path';
import { Client } from 'pg';
import { describeUrl, redactSecrets } from '../config/redact';
import { Topology, allGroups } from '../config/topology.types';
import { findWritablePrimary } from './find-primary';
import { applyMigrations, readMigrations } from './migrations';

/** Where each schema's migrations are (Prisma's layout: one folder per migration with its `migration.sql`). */
export interface MigrationFolders {
  regional: string;
  global?: string;
}

/**
 * The regional migrations on every region's primary and the global ones on the global primary, recorded as
 * `prisma migrate deploy` records them. `migrations` is the folders, or a root holding
 * `prisma/regional/migrations` and `prisma/global/migrations`. Idempotent; `log` receives one line per database.
 */
export async function migrateTopology(topology: Topology, migrations: string | MigrationFolders, log: (line: string) => void = console.log) {
  const folders = typeof migrations === 'string' ? { regional: join(migrations, 'prisma/regional/migrations'), global: join(migrations, 'prisma/global/migrations') } : migrations;
  const sets = {
    regional: readMigrations(folders.regional),
    global: folders.global === undefined ? [] : readMigrations(folders.global),
  };
  await Promise.all(
    allGroups(topology).map(async (group) => {
      const started = Date.now();
      const primary = await findWritablePrimary(group);
      if (!primary) throw new Error(`${group.name}: no writable primary answers, cannot migrate`);
      const client = new Client({ connectionString: primary.url, connectionTimeoutMillis: 5_000 });
      client.on('error', () => undefined); // a server ending the session must not kill the process
      try {
        await client.connect();
        const result = await applyMigrations(client, sets[group.kind]);
        log(
          `${group.name}: ${primary.id} (${describeUrl(primary.url)}) applied ${result.applied.length}, ` +
            `already applied ${result.skipped.length} [${Date.now() - started} ms]`,
        );
      } catch (error) {
        throw new Error(`${group.name}: ${redactSecrets((error as Error).message)}`);
      } finally {
        await client.end().catch(() => undefined);
      }
    }),
  );
}
