// A fence no client can bypass, discovery that never forks history, and how long a restarted old primary
// accepts writes before it is fenced: each on a small topology of its own, attacked as any client could.
import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import type { Topology } from '../libs/regional-db/src/config/topology.types';
import { AlertService } from '../libs/regional-db/src/alerts/alert.service';
import { DatabaseHealthMonitorService } from '../libs/regional-db/src/health/database-health-monitor.service';
import { HealthAlertsService } from '../libs/regional-db/src/health/health-alerts.service';
import { ConnectionRouterService } from '../libs/regional-db/src/router/connection-router.service';
import { TopologyStateService } from '../libs/regional-db/src/topology-state/topology-state.service';
import * as local from '../tools/topology/local-topology';
import { bearer, createTestApp, eventually } from './support/app';
import { failoverTopologyOptions, freshFailoverTopology, queryServer } from './support/failover-topology';

const PRIMARY = 'us-east-primary';
const run = randomUUID().slice(0, 8);
let apps = 0;

const member = (topology: Topology, id: string) => [topology.groups[0].primary, ...topology.groups[0].replicas].find((e) => e.id === id)!;
const serverPort = async (app: INestApplication) =>
  Number((await app.get(ConnectionRouterService).write('us-east').$queryRaw<{ port: number }[]>`SELECT inet_server_port() AS port`)[0].port);

/** An app instance with Redis (its own key prefix) or, with `redis: false`, alone. */
async function startApp(topology: Topology, redis = true): Promise<INestApplication> {
  const saved = process.env.REDIS_URL;
  process.env.REDIS_PREFIX = `fence-${run}-${apps++}:`;
  if (!redis) delete process.env.REDIS_URL;
  try {
    return await createTestApp({ topology });
  } finally {
    if (saved !== undefined) process.env.REDIS_URL = saved;
  }
}

/** One session as the application's role, kept open: a client that was connected before the fence. */
async function session(url: string): Promise<Client> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on('error', () => undefined); // the fence ends this session: that must not crash the runner
  await client.connect();
  return client;
}

/** Every way a client could try to write to a server; resolves with the ones that succeeded. */
async function writeAttempts(url: string, existing: Client[]): Promise<string[]> {
  const table = 'CREATE TABLE IF NOT EXISTS fence_probe (note text)';
  const attempts: [string, (c: Client) => Promise<unknown>][] = [
    ['INSERT', (c) => c.query(`${table}; INSERT INTO fence_probe VALUES ('plain')`)],
    ['BEGIN READ WRITE + INSERT', (c) => c.query(`BEGIN READ WRITE; ${table}; INSERT INTO fence_probe VALUES ('rw'); COMMIT`)],
    ['SET default_transaction_read_only = off + INSERT', (c) => c.query(`SET default_transaction_read_only = off; ${table}; INSERT INTO fence_probe VALUES ('off')`)],
  ];
  const succeeded: string[] = [];
  for (const [name, attempt] of attempts) {
    const old = existing.shift();
    if (old) {
      if (await attempt(old).then(() => true, () => false)) succeeded.push(`${name} (existing session)`);
    }
    const fresh = new Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
    fresh.on('error', () => undefined);
    const ok = await fresh
      .connect()
      .then(() => attempt(fresh))
      .then(() => true, () => false);
    await fresh.end().catch(() => undefined);
    if (ok) succeeded.push(`${name} (new session)`);
  }
  return succeeded;
}

describe('fencing and discovery on a real small topology', () => {
  const options = failoverTopologyOptions([], { name: 'fence-topology', portOffset: 200 });
  const started: INestApplication[] = [];
  let topology: Topology;

  beforeEach(async () => {
    topology = await freshFailoverTopology(options);
  });
  afterEach(async () => {
    await Promise.all(started.splice(0).map((a) => a.close()));
  });
  afterAll(() => local.down(options));

  it('a fenced former primary refuses every write from the app role, in existing and new sessions', async () => {
    const app = await startApp(topology);
    started.push(app);
    const old = member(topology, PRIMARY);
    const sessions = await Promise.all([1, 2, 3].map(() => session(old.url)));
    const switchover = await request(app.getHttpServer())
      .post('/api/database/failover/us-east')
      .set('Authorization', bearer(app))
      .send({ targetEndpoint: 'us-east-replica-1' });
    expect(switchover.status).toBe(200);
    expect(switchover.body.failover).toMatchObject({ planned: true, outcome: 'completed', fenced: { id: PRIMARY } });

    expect(await writeAttempts(old.url, sessions)).toEqual([]);
    // Not even the failover's own role nor a superuser gets into the fenced database: nothing can fork it.
    const superuser = `postgresql://postgres@127.0.0.1:${new URL(old.url).port}/${new URL(old.url).pathname.slice(1)}`;
    for (const url of [superuser, old.adminUrl.replace(/\/postgres$/, new URL(old.url).pathname)]) {
      await expect(queryServer(url, 'SELECT 1')).rejects.toThrow(/not currently accepting connections/);
    }
    // The application's role cannot reopen it from another database either: it does not own it.
    const appOnPostgres = old.url.replace(/\/[^/]+$/, '/postgres');
    await expect(queryServer(appOnPostgres, `ALTER DATABASE ${new URL(old.url).pathname.slice(1)} WITH ALLOW_CONNECTIONS true`)).rejects.toThrow(
      /must be owner/,
    );
    expect(await serverPort(app)).toBe(Number(new URL(member(topology, 'us-east-replica-1').url).port));
    await Promise.all(sessions.map((s) => s.end().catch(() => undefined)));

    // Its probes fail (fenced on purpose): reported as a fenced former primary awaiting rejoin, not as down.
    const monitor = app.get(DatabaseHealthMonitorService);
    await eventually(async () => (await monitor.probe(PRIMARY).catch(() => undefined), monitor.verdict(PRIMARY).status === 'down'), 15_000, 200);
    await app.get(HealthAlertsService).evaluate();
    const alerts = await request(app.getHttpServer()).get('/api/database/alerts').set('Authorization', bearer(app, 'viewer')).expect(200);
    const about = (alerts.body.active as { key: string; severity: string; message: string }[]).filter((a) => a.key.endsWith(`:${PRIMARY}`));
    expect(about).toEqual([
      expect.objectContaining({ key: `endpoint_fenced:${PRIMARY}`, severity: 'medium', message: expect.stringMatching(/^former primary us-east-primary is fenced, awaiting rejoin/) }),
    ]);
  });

  it('an app restarted without Redis after a failover, old primary back up and unfenced: no write reaches either until an operator picks one', async () => {
    const first = await startApp(topology, false);
    await local.killServer(options, PRIMARY);
    const promoted = await eventually(async () => {
      const id = first.get(TopologyStateService).primaryOf('us-east');
      return id !== PRIMARY && id;
    }, 30_000);
    await first.close();
    // Restarted with no app running to fence it: the old primary is writable again, on timeline 1.
    await local.startServer(options, PRIMARY);
    const old = member(topology, PRIMARY);
    const count = async () => Number((await queryServer<{ n: string }>(old.url, 'SELECT count(*) AS n FROM users'))[0].n);
    const before = await count();

    const app = await startApp(topology, false);
    started.push(app);
    expect(app.get(TopologyStateService).primaryOf('us-east')).toBeNull();
    const router = app.get(ConnectionRouterService);
    await expect(router.write('us-east').user.create({ data: { username: `split-${run}`, email: 's@x', passwordHash: 'x' } })).rejects.toThrow();
    expect(await count()).toBe(before);
    const alerts = await request(app.getHttpServer()).get('/api/database/alerts').set('Authorization', bearer(app, 'viewer'));
    expect(JSON.stringify(alerts.body)).toContain('Split brain in us-east');

    // The operator picks the promoted server: it takes writes, the old primary is fenced.
    const pick = await request(app.getHttpServer()).post('/api/database/failover/us-east').set('Authorization', bearer(app)).send({ targetEndpoint: promoted });
    expect(pick.status).toBe(200);
    expect(await serverPort(app)).toBe(Number(new URL(member(topology, promoted as string).url).port));
    await expect(count()).rejects.toThrow(/not currently accepting connections/);
  });

  it('a killed old primary restarted as an init system would is fenced within moments of accepting connections', async () => {
    const app = await startApp(topology);
    started.push(app);
    await local.killServer(options, PRIMARY);
    await eventually(async () => app.get(TopologyStateService).primaryOf('us-east') !== PRIMARY, 30_000);

    // A client that tries to write to the old primary every 50 ms, on a new connection each time.
    const old = member(topology, PRIMARY);
    const samples: { at: number; outcome: 'written' | 'fenced' | 'down' }[] = [];
    let polling = true;
    const poller = (async () => {
      let n = 0;
      while (polling) {
        const at = Date.now();
        const outcome = await queryServer(old.url, 'INSERT INTO users (id, username, email, password_hash) VALUES (gen_random_uuid(), $1, $2, $3)', [`poll-${run}-${n++}`, 'p@x', 'x'])
          .then(() => 'written' as const)
          .catch((error: Error) => (/not currently accepting connections/.test(error.message) ? ('fenced' as const) : ('down' as const)));
        samples.push({ at, outcome });
        await new Promise((r) => setTimeout(r, Math.max(0, 50 - (Date.now() - at))));
      }
    })();
    await local.startServer(options, PRIMARY);
    await eventually(async () => samples.some((s) => s.outcome === 'fenced'), 15_000, 50);
    polling = false;
    await poller;

    const written = samples.filter((s) => s.outcome === 'written');
    const fencedAt = samples.find((s) => s.outcome === 'fenced')!.at;
    const lastRefusedAt = samples.filter((s) => s.outcome === 'down' && s.at < fencedAt).pop()?.at ?? fencedAt;
    console.log(`restarted old primary: ${written.length} write(s) accepted, fenced ${fencedAt - lastRefusedAt} ms after it last refused connections`);
    // Written samples can only fall in the moment between accepting connections and the fence.
    expect(written.every((s) => s.at >= lastRefusedAt && s.at < fencedAt)).toBe(true);
    expect(fencedAt - lastRefusedAt).toBeLessThan(1_000);
    expect(samples.filter((s) => s.at > fencedAt).every((s) => s.outcome === 'fenced')).toBe(true);

    // Its split-brain alert stays until it is a replica again: rejoined, it can no longer fork history.
    const alerts = app.get(AlertService);
    const key = `failover_failed:${PRIMARY}`;
    await eventually(async () => (await alerts.active()).some((a) => a.key === key), 15_000);
    await local.rejoin(options, PRIMARY, app.get(TopologyStateService).primaryOf('us-east')!);
    await eventually(async () => !(await alerts.active()).some((a) => a.key === key), 30_000);
    const resolved = (await alerts.history(50)).find((e) => e.action === 'resolved' && e.alert.key === key);
    expect(resolved?.alert.resolution).toBe(`${PRIMARY} rejoined us-east as a replica: it takes no writes`);
  });
});
