// Readiness that means "this instance can serve", and per-group role probes for load balancers, on the real
// topology: a group loses its primary, then its replica (readiness stays 200 and reports it; that group's
// probes go 503, the others' stay 200), a replica's replay is paused (`lag` decides), every public body is
// checked for addresses and secrets, and one log line is written per readiness change, not per call.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { INestApplication, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { allEndpoints } from '../libs/regional-db/src/config/topology.types';
import type { Topology } from '../libs/regional-db/src/config/topology.types';
import { DatabaseHealthMonitorService } from '../libs/regional-db/src/health/database-health-monitor.service';
import { RedisService } from '../libs/regional-db/src/redis/redis.service';
import { ConnectionRouterService } from '../libs/regional-db/src/router/connection-router.service';
import { createTestApp, eventually } from './support/app';
import { chaos, testTopology } from './support/test-topology';

const settings: Record<string, string> = {
  PASSWORD_HASH_COST: '4',
  REDIS_PREFIX: `${process.env.REDIS_PREFIX ?? 'rdr:'}readiness-e2e-${randomUUID().slice(0, 8)}:`,
  // A stopped primary must stay the primary: this suite is about what the probes say, not about failover.
  FAILOVER_AUTOMATIC: 'false',
};

describe('readiness and per-group probes (real topology)', () => {
  const saved: Record<string, string | undefined> = {};
  let topology: Topology;
  let app: INestApplication;
  let monitor: DatabaseHealthMonitorService;
  /** What no public body may contain: every endpoint's host:port, the password of their URLs, URLs at all. */
  let forbidden: string[] = [];
  /** Servers this suite stopped or paused: put back in afterAll whatever happens. */
  const stopped = new Set<string>();
  const paused = new Set<string>();

  /** A public probe answer, checked for leaks whatever its status. */
  async function probe(path: string) {
    const response = await request(app.getHttpServer()).get(path);
    const leaks = forbidden.filter((s) => response.text.includes(s));
    expect([path, leaks]).toEqual([path, []]);
    // Any IPv4 address, any host:port (JSON keys end in a quote before their colon, a host does not).
    expect(response.text).not.toMatch(/\b\d{1,3}(\.\d{1,3}){3}\b|[a-z0-9]:\d{2,5}\b/i);
    return response;
  }

  /** Probes every endpoint now, then asks `path` until `check` holds. */
  const settled = (path: string, check: (r: request.Response) => boolean) =>
    eventually(async () => {
      await monitor.runRound();
      const response = await probe(path);
      return check(response) && response;
    }, 30_000, 200);

  beforeAll(async () => {
    for (const [name, value] of Object.entries(settings)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
    topology = testTopology();
    forbidden = ['127.0.0.1', 'localhost', 'postgresql://', 'postgres://'];
    for (const endpoint of allEndpoints(topology)) {
      const url = new URL(endpoint.url);
      forbidden.push(url.host);
      if (url.password) forbidden.push(decodeURIComponent(url.password));
    }
    app = await createTestApp({ topology });
    monitor = app.get(DatabaseHealthMonitorService);
  });

  afterAll(async () => {
    try {
      for (const id of paused) await chaos.resumeReplay(id);
      // Primaries first: their replicas stream from them again once started.
      for (const id of [...stopped].sort((a, b) => Number(b.includes('primary')) - Number(a.includes('primary')))) await chaos.start(id);
      await eventually(async () => {
        await monitor.runRound();
        return [...stopped, ...paused].every((id) => monitor.health(id).isHealthy && (monitor.health(id).replicationLagBytes ?? 0) === 0);
      }, 30_000, 200);
    } finally {
      const redis = app?.get(RedisService);
      const keys = (await redis?.client?.keys(`${settings.REDIS_PREFIX}*`)) ?? [];
      if (keys.length) await redis!.client!.del(...keys);
      await app?.close();
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('answers every group and role while all is well; 404 for an unknown group, 400 for a bad lag', async () => {
    const ready = await settled('/health/ready', (r) => r.status === 200 && r.body.impaired.length === 0);
    expect(ready.body).toMatchObject({ status: 'ready', impaired: [] });
    expect(Object.keys(ready.body.groups)).toEqual(['us-east', 'eu-west', 'asia-pacific', 'global']);
    expect(ready.body.groups['us-east']).toEqual({
      status: 'writable',
      primary: 'us-east-primary',
      readReplicas: ['us-east-replica-1', 'us-east-replica-2'],
      endpoints: {
        'us-east-primary': { healthy: true, role: 'primary' },
        'us-east-replica-1': { healthy: true, role: 'replica', lagMs: expect.any(Number) },
        'us-east-replica-2': { healthy: true, role: 'replica', lagMs: expect.any(Number) },
      },
    });
    for (const group of ['us-east', 'eu-west', 'asia-pacific', 'global']) {
      expect((await probe(`/health/groups/${group}/primary`)).body).toEqual({ group, check: 'primary', status: 'up', endpoints: [`${group}-primary`] });
      expect((await probe(`/health/groups/${group}/replica`)).status).toBe(200);
      expect((await probe(`/health/groups/${group}/read-only`)).status).toBe(200);
    }
    expect((await probe('/health/live')).status).toBe(200);

    const unknown = await probe('/health/groups/mars-north/primary');
    expect([unknown.status, unknown.body]).toEqual([404, { statusCode: 404, error: 'Not Found', message: 'Unknown replication group "mars-north"' }]);
    for (const lag of ['abc', '-5', '1.5', '']) {
      const bad = await probe(`/health/groups/us-east/replica?lag=${lag}`);
      expect([bad.status, bad.body.message]).toEqual([400, `lag must be a whole number of milliseconds from 0 to 999999999, got "${lag}"`]);
    }
  });

  it("stays ready with a group down, reporting it; that group's probes say 503, the others 200; one log line per change", async () => {
    const logged: string[] = [];
    const spies = (['log', 'warn', 'error'] as const).map((level) => {
      const real = Logger.prototype[level];
      return jest.spyOn(Logger.prototype, level).mockImplementation(function (this: Logger, message: unknown, ...rest: unknown[]) {
        if (typeof message === 'string' && message.startsWith('readiness: ')) logged.push(`${level} ${message}`);
        else if (typeof message === 'string' && message.includes('answered 503') && message.includes('asia-pacific')) return; // the outage's own answers
        real.call(this, message, ...rest);
      } as Logger['log']);
    });
    const http = request(app.getHttpServer());
    const register = (region: string) => {
      const handle = `rdy_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
      return http.post('/api/users').set('X-Region', region).send({ handle, email: `${handle}@example.com`, password: 'correct-horse-7' });
    };
    try {
      // The primary stopped: the group serves reads only.
      await chaos.stop('asia-pacific-primary');
      stopped.add('asia-pacific-primary');
      let ready = await settled('/health/ready', (r) => r.body.groups?.['asia-pacific']?.status === 'read-only');
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({ status: 'ready', impaired: ['asia-pacific'] });
      expect(ready.body.groups['asia-pacific']).toMatchObject({
        primary: 'asia-pacific-primary',
        reason: 'asia-pacific-primary is not healthy',
        readReplicas: ['asia-pacific-replica-1'],
        endpoints: { 'asia-pacific-primary': { healthy: false, role: 'primary' }, 'asia-pacific-replica-1': { healthy: true, role: 'replica' } },
      });
      const primary = await probe('/health/groups/asia-pacific/primary');
      expect([primary.status, primary.body]).toEqual([503, { group: 'asia-pacific', check: 'primary', status: 'down', endpoints: [], reason: 'asia-pacific-primary is not healthy' }]);
      expect((await probe('/health/groups/us-east/primary')).status).toBe(200);
      expect((await probe('/health/groups/eu-west/primary')).status).toBe(200);
      expect((await probe('/health/groups/asia-pacific/replica')).body).toMatchObject({ status: 'up', endpoints: ['asia-pacific-replica-1'] });
      expect((await probe('/health/groups/asia-pacific/read-only')).status).toBe(200);
      // A write there says what is true: its reads go on from the replica.
      const write = await register('asia-pacific').expect(503);
      expect(write.body.message).toBe('Localized outage: region asia-pacific has no writable primary; reads continue from replicas');
      for (let i = 0; i < 10; i++) await probe('/health/ready');

      // The replica stopped too: the group is lost, the instance still serves the others.
      await chaos.stop('asia-pacific-replica-1');
      stopped.add('asia-pacific-replica-1');
      ready = await settled('/health/ready', (r) => r.body.groups?.['asia-pacific']?.status === 'lost');
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({ status: 'ready', impaired: ['asia-pacific'] });
      expect((await probe('/health/groups/asia-pacific/replica')).body).toEqual({
        group: 'asia-pacific', check: 'replica', status: 'down', endpoints: [], maxLagMs: null, reason: 'no replica serves reads',
      });
      expect((await probe('/health/groups/asia-pacific/read-only')).status).toBe(503);
      expect((await probe('/health/groups/us-east/read-only')).status).toBe(200);
      expect((await register('asia-pacific').expect(503)).body.message).toBe('Localized outage: region asia-pacific has no writable primary and no replica serving reads');
      await register('us-east').expect(201);
      for (let i = 0; i < 10; i++) await probe('/health/ready');

      // Back: primary first, then its replica.
      await chaos.start('asia-pacific-primary');
      await chaos.start('asia-pacific-replica-1');
      await settled('/health/ready', (r) => r.status === 200 && r.body.impaired.length === 0);
      stopped.clear();
      expect((await probe('/health/groups/asia-pacific/primary')).status).toBe(200);
      for (let i = 0; i < 10; i++) await probe('/health/ready');
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    // Not one line per call: one per change (the group's way down, its way back).
    expect(logged).toEqual([
      'warn readiness: ready; asia-pacific read-only',
      'warn readiness: ready; asia-pacific lost',
      'log readiness: ready; every group writable',
    ]);
  });

  it('honours `lag` on the replica probe: a replica whose replay is paused is too far behind for 100 ms, not for 10 minutes', async () => {
    const replica = topology.groups.find((g) => g.name === 'eu-west')!.replicas[0];
    expect(topology.groups.find((g) => g.name === 'eu-west')!.replicas).toHaveLength(1);
    await chaos.pauseReplay(replica.id);
    paused.add(replica.id);
    const sql = new Client({ connectionString: replica.url });
    sql.on('error', () => undefined); // a server stopped under it must not crash the test process
    await sql.connect();
    try {
      await eventually(async () => (await sql.query<{ state: string }>('SELECT pg_get_wal_replay_pause_state() AS state')).rows[0].state === 'paused');
    } finally {
      await sql.end();
    }
    const router = app.get(ConnectionRouterService);
    // Writes on the primary the replica cannot replay: its lag grows from one probe round to the next.
    const behind = await eventually(async () => {
      const user = await router.write('eu-west').user.create({ data: { username: `lag-${randomUUID()}`, email: 'lag@example.com', passwordHash: 'x' } });
      await router.write('eu-west').user.delete({ where: { id: user.id } });
      await monitor.runRound();
      const response = await probe('/health/groups/eu-west/replica?lag=100');
      return response.status === 503 && response;
    }, 30_000, 200);
    expect(behind.body).toEqual({ group: 'eu-west', check: 'replica', status: 'down', endpoints: [], maxLagMs: 100, reason: 'no replica within 100 ms of lag serves reads' });
    expect(monitor.health(replica.id).replicationLagMs).toBeGreaterThan(100);
    const tolerant = await probe('/health/groups/eu-west/replica?lag=600000');
    expect([tolerant.status, tolerant.body]).toEqual([200, { group: 'eu-west', check: 'replica', status: 'up', endpoints: [replica.id], maxLagMs: 600_000 }]);
    // Lag is not unreadiness: the instance and the group's primary are fine.
    expect((await probe('/health/ready')).status).toBe(200);
    expect((await probe('/health/groups/eu-west/primary')).status).toBe(200);

    await chaos.resumeReplay(replica.id);
    paused.delete(replica.id);
    await settled('/health/groups/eu-west/replica?lag=100', (r) => r.status === 200);
  });
});
