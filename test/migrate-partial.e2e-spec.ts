// The migrate job (scripts/migrate.ts, compose's `migrate` service) with one group's primary down: the groups it
// reaches are migrated, the one it does not is named on one line after a bounded wait, and the exit status lets
// the APIs start for the regions that are up. A later run (or the same one, if the primary comes up within its
// wait) migrates that group. A small topology of its own (us-east: primary + 2 replicas; global), never migrated
// before the scenario: the shared one is migrated by the test runner.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { loadTopologyFile } from '../libs/regional-db/src/config/topology.loader';
import type { Topology } from '../libs/regional-db/src/config/topology.types';
import * as local from '../tools/topology/local-topology';
import request from 'supertest';
import { createTestApp } from './support/app';
import { failoverTopologyOptions, queryServer } from './support/failover-topology';

const PRIMARY = 'us-east-primary';
const WAIT_MS = 3_000;
// tsx's own start-up on a busy 2-core machine, on top of the wait.
const STARTUP_ALLOWANCE_MS = 20_000;

interface Run {
  code: number | null;
  stdout: string[];
  stderr: string[];
  elapsedMs: number;
}

const migrationNames = (schema: string) =>
  readdirSync(join(process.cwd(), 'prisma', schema, 'migrations'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();

describe('migrate with one group without a writable primary (real small topology)', () => {
  const options = failoverTopologyOptions([], { name: 'migrate-partial-topology', portOffset: 1300 });
  let topology: Topology;

  /** The migrate script as compose runs it (its own process, the topology from the environment). */
  const migrate = (env: Record<string, string>, whileRunning?: () => Promise<void>): Promise<Run> =>
    new Promise((resolve, reject) => {
      const started = Date.now();
      const child = spawn(join(process.cwd(), 'node_modules/.bin/tsx'), ['scripts/migrate.ts'], {
        env: { PATH: process.env.PATH, HOME: process.env.HOME, TOPOLOGY_FILE: local.topologyFilePath(options), ...env },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code) => {
        const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');
        resolve({ code, stdout: lines(stdout), stderr: lines(stderr), elapsedMs: Date.now() - started });
      });
      whileRunning?.().catch(reject);
    });

  /** The migrations recorded as finished on a server, or null when it has no `_prisma_migrations` at all. */
  const recorded = async (url: string): Promise<string[] | null> => {
    const [{ table }] = await queryServer<{ table: string | null }>(url, `SELECT to_regclass('_prisma_migrations')::text AS table`);
    if (table === null) return null;
    const rows = await queryServer<{ name: string }>(
      url,
      'SELECT migration_name AS name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY 1',
    );
    return rows.map((r) => r.name);
  };

  const group = (name: string) => [...topology.groups, topology.global!].find((g) => g.name === name)!;

  beforeAll(async () => {
    // Fresh and never migrated: what a first `docker-compose up` finds.
    await local.down(options);
    await local.up(options);
    topology = loadTopologyFile(local.topologyFilePath(options));
    await local.stopServer(options, PRIMARY);
  }, 180_000);

  afterAll(async () => {
    await local.down(options);
  }, 60_000);

  it('migrates the reachable group, names the unreachable one on one line, exits 0, within its wait', async () => {
    const run = await migrate({ MIGRATE_WAIT_MS: String(WAIT_MS) });

    expect(run.code).toBe(0);
    expect(run.stderr).toHaveLength(1);
    expect(run.stderr[0]).toMatch(/^us-east: no writable primary within 3 s; migrate again once it is up \(/);
    // Why each server was passed over: the primary does not answer, the replicas are replicas.
    expect(run.stderr[0]).toContain(`${PRIMARY}: `);
    expect(run.stderr[0]).toContain('us-east-replica-1: in recovery (a replica)');
    expect(run.stdout).toEqual([expect.stringMatching(new RegExp(`^global: global-primary \\(.*\\) applied ${migrationNames('global').length}, already applied 0 `))]);
    // It did wait for us-east, and not much longer than that.
    expect(run.elapsedMs).toBeGreaterThanOrEqual(WAIT_MS);
    expect(run.elapsedMs).toBeLessThan(WAIT_MS + STARTUP_ALLOWANCE_MS);

    expect(await recorded(topology.global!.primary.url)).toEqual(migrationNames('global'));
    // us-east's replicas show its primary's state: never touched.
    expect(await recorded(group('us-east').replicas[0].url)).toBeNull();
  }, 60_000);

  it('until us-east is migrated, the app answers its reads with a 503 naming it, never a 500', async () => {
    // Without automatic failover: the app would promote a replica of the stopped primary, and the runs below
    // would find a writable us-east.
    const saved = process.env.FAILOVER_AUTOMATIC;
    process.env.FAILOVER_AUTOMATIC = 'false';
    const app = await createTestApp({ topology }).finally(() => {
      if (saved === undefined) delete process.env.FAILOVER_AUTOMATIC;
      else process.env.FAILOVER_AUTOMATIC = saved;
    });
    try {
      const feed = await request(app.getHttpServer()).get('/api/feed').set('X-Region', 'us-east');
      expect([feed.status, feed.body.message]).toEqual([
        503,
        expect.stringMatching(/^"us-east" is not migrated yet: us-east-replica-\d lacks the table or column this post\.findMany needs; retry once its migrations have run$/),
      ]);
    } finally {
      await app.close();
    }
    expect(await queryServer(group('us-east').replicas[0].url, 'SELECT pg_is_in_recovery() AS r')).toEqual([{ r: true }]);
  }, 60_000);

  it('MIGRATE_REQUIRE_ALL=true: the same state exits 1 (a job restarted until every group is migrated)', async () => {
    const run = await migrate({ MIGRATE_WAIT_MS: '0', MIGRATE_REQUIRE_ALL: 'true' });

    expect(run.code).toBe(1);
    expect(run.stderr).toEqual([expect.stringMatching(/^us-east: no writable primary within \d+ ms; migrate again once it is up/)]);
    expect(run.stdout).toEqual([expect.stringMatching(/^global: .* applied 0, already applied \d+ /)]);
  }, 60_000);

  it('a bad MIGRATE_WAIT_MS: one line naming it, exit 1, nothing migrated', async () => {
    const run = await migrate({ MIGRATE_WAIT_MS: 'a minute' });

    expect(run.code).toBe(1);
    expect(run.stderr).toEqual(['Invalid setting MIGRATE_WAIT_MS: must be a whole number of milliseconds from 0 to 86400000, got "a minute"']);
    expect(run.stdout).toEqual([]);
  }, 60_000);

  it('the primary back while migrate runs again (as compose starts both at once), that run migrates it: exit 0', async () => {
    // Started only once the run is seen asking for it (a listener on its port, closed at the first
    // connection): the run is in its wait when the primary comes up, not merely started after it.
    const port = Number(new URL(group('us-east').primary.url).port);
    let asked!: () => void;
    const seen = new Promise<void>((resolve) => (asked = resolve));
    const listener = createServer((socket) => (socket.destroy(), asked()));
    await new Promise<void>((resolve) => listener.listen(port, '127.0.0.1', resolve));
    const run = await migrate({ MIGRATE_WAIT_MS: '60000', MIGRATE_REQUIRE_ALL: 'true' }, async () => {
      await seen;
      await new Promise<void>((resolve) => listener.close(() => resolve()));
      await local.startServer(options, PRIMARY);
    }).finally(() => listener.listening && listener.close());

    expect(run.stderr).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.stdout.sort()).toEqual([
      expect.stringMatching(/^global: .* applied 0, already applied \d+ /),
      expect.stringMatching(new RegExp(`^us-east: ${PRIMARY} \\(.*\\) applied ${migrationNames('regional').length}, already applied 0 `)),
    ]);
    // Found as soon as it answered, not at the end of the minute.
    expect(run.elapsedMs).toBeLessThan(STARTUP_ALLOWANCE_MS + 10_000);
    expect(await recorded(group('us-east').primary.url)).toEqual(migrationNames('regional'));

    // And again: nothing left to do, still exit 0.
    const again = await migrate({ MIGRATE_WAIT_MS: '0', MIGRATE_REQUIRE_ALL: 'true' });
    expect(again.code).toBe(0);
    expect(again.stdout).toHaveLength(2);
    expect(again.stdout.every((l) => / applied 0, already applied \d+ /.test(l))).toBe(true);
  }, 90_000);
});
