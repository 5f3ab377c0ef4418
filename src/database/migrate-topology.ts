import { join } from 'node:path';
import { Client } from 'pg';
import { describeUrl, redactSecrets } from '../config/redact';
import { Topology, allGroups } from '../config/topology.types';
import { findWritablePrimary } from './find-primary';
import { applyMigrations, readMigrations } from './migrations';

/**
 * The regional migrations on every region's primary and the global ones on the global primary.
 * Idempotent; `log` receives one line per database.
 */
export async function migrateTopology(topology: Topology, root: string, log: (line: string) => void = console.log) {
  const sets = {
    regional: readMigrations(join(root, 'prisma/regional/migrations')),
    global: readMigrations(join(root, 'prisma/global/migrations')),
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
