import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { describeUrl, redactSecrets } from '../config/redact';
import { ReplicationGroupConfig, Topology, allGroups } from '../config/topology.types';
import { findWritablePrimary } from './find-primary';
import { Migration, applyMigrations, readMigrations } from './migrations';

/** Where each schema's migrations are (Prisma's layout: one folder per migration with its `migration.sql`). */
export interface MigrationFolders {
  regional: string;
  global?: string;
}

/** What one group's migration came to. */
export type GroupMigration =
  | { group: string; status: 'migrated'; endpoint: string; applied: string[]; skipped: string[]; durationMs: number }
  /** No server of the group answered as writable within the wait: nothing was attempted on it. */
  | { group: string; status: 'unreachable'; waitedMs: number; misses: string[] }
  /** A writable primary was found, and migrating it failed (a bad or edited migration, a lost connection). */
  | { group: string; status: 'failed'; endpoint?: string; error: string };

export interface MigrateGroupsOptions {
  /** How long each group may take to show a writable primary (a server still starting, say). 0: one look. */
  waitMs?: number;
  /** Pause between looks while waiting. */
  pollMs?: number;
  /** One line per group as it finishes, with its outcome (the caller picks stdout or stderr from it). */
  log?: (line: string, outcome: GroupMigration) => void;
}

/**
 * Migrates every group it can reach, each on its own: one group without a writable primary neither holds up
 * nor fails the others (it is reported `unreachable` after its wait). The regional migrations go to every
 * region's primary, the global ones to the global primary, recorded as `prisma migrate deploy` records them
 * (idempotent, under Prisma's advisory lock, so a later run picks up a group that was down).
 */
export async function migrateGroups(topology: Topology, migrations: string | MigrationFolders, options: MigrateGroupsOptions = {}): Promise<GroupMigration[]> {
  const { waitMs = 0, pollMs = 1_000, log = () => undefined } = options;
  const folders = typeof migrations === 'string' ? { regional: join(migrations, 'prisma/regional/migrations'), global: join(migrations, 'prisma/global/migrations') } : migrations;
  const sets = {
    regional: readMigrations(folders.regional),
    global: folders.global === undefined ? [] : readMigrations(folders.global),
  };
  return Promise.all(
    allGroups(topology).map(async (group) => {
      const outcome = await migrateGroup(group, sets[group.kind], waitMs, pollMs);
      log(describeGroupMigration(outcome), outcome);
      return outcome;
    }),
  );
}

async function migrateGroup(group: ReplicationGroupConfig, migrations: Migration[], waitMs: number, pollMs: number): Promise<GroupMigration> {
  const started = Date.now();
  const deadline = started + waitMs;
  let misses: string[] = [];
  let primary: Awaited<ReturnType<typeof findWritablePrimary>> = null;
  for (;;) {
    const round: string[] = [];
    // One look asks each server with its usual connect timeout (3 s), so the wait ends at most one look late.
    primary = await findWritablePrimary(group, undefined, (id, reason) => round.push(`${id}: ${redactSecrets(reason)}`));
    misses = round;
    const left = deadline - Date.now();
    if (primary || left <= 0) break;
    await sleep(Math.min(pollMs, left)); // the last look is at the deadline itself
  }
  if (!primary) return { group: group.name, status: 'unreachable', waitedMs: Date.now() - started, misses };
  const client = new Client({ connectionString: primary.url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined); // a server ending the session must not kill the process
  try {
    await client.connect();
    const result = await applyMigrations(client, migrations);
    return { group: group.name, status: 'migrated', endpoint: `${primary.id} (${describeUrl(primary.url)})`, ...result, durationMs: Date.now() - started };
  } catch (error) {
    return { group: group.name, status: 'failed', endpoint: primary.id, error: redactSecrets((error as Error).message) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** One line for a group's outcome. */
export function describeGroupMigration(outcome: GroupMigration): string {
  switch (outcome.status) {
    case 'migrated':
      return `${outcome.group}: ${outcome.endpoint} applied ${outcome.applied.length}, already applied ${outcome.skipped.length} [${outcome.durationMs} ms]`;
    case 'unreachable': {
      const waited = outcome.waitedMs < 1_000 ? `${outcome.waitedMs} ms` : `${Math.round(outcome.waitedMs / 1_000)} s`;
      const why = outcome.misses.length ? ` (${outcome.misses.join('; ')})` : '';
      return `${outcome.group}: no writable primary within ${waited}; migrate again once it is up${why}`;
    }
    case 'failed':
      return `${outcome.group}: migration failed${outcome.endpoint ? ` on ${outcome.endpoint}` : ''}: ${outcome.error}`;
  }
}

/**
 * The migrate job's exit status: 0 when every group it reached is migrated and at least one is, so the
 * regions that are up get their API while a region that is down stays down alone. A failed migration, or
 * nothing reachable at all, is 1. `requireAll`: an unreachable group is 1 too (a job restarted until
 * every group is migrated).
 */
export function migrationExitCode(outcomes: GroupMigration[], options: { requireAll?: boolean } = {}): 0 | 1 {
  if (outcomes.some((o) => o.status === 'failed')) return 1;
  if (!outcomes.some((o) => o.status === 'migrated')) return 1;
  if (options.requireAll && outcomes.some((o) => o.status === 'unreachable')) return 1;
  return 0;
}

/**
 * Every group migrated, or an error naming each one that is not: for local topologies (npm start, the tests),
 * where every server is up. Each reachable group is still migrated when another is not. One look per group.
 */
export async function migrateTopology(topology: Topology, migrations: string | MigrationFolders, log: (line: string) => void = console.log) {
  const outcomes = await migrateGroups(topology, migrations, { log: (line, outcome) => outcome.status === 'migrated' && log(line) });
  const missing = outcomes.filter((o) => o.status !== 'migrated');
  if (missing.length) throw new Error(missing.map(describeGroupMigration).join('\n'));
}
