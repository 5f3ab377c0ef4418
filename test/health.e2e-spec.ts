// Health monitoring against the real local topology: probes, fast detection, lag, alerts shared through
// Redis by two app instances, the admin API and the Terminus probes. Every server broken here is restored.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { INestApplication } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { EventEmitter } from 'node:events';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { AlertService } from '../libs/regional-db/src/alerts/alert.service';
import type { Alert, AlertEvent } from '../libs/regional-db/src/alerts/alert.types';
import type { Topology } from '../libs/regional-db/src/config/topology.types';
import { EndpointRegistry } from '../libs/regional-db/src/database/endpoint-registry';
import { InstanceIdentity } from '../libs/regional-db/src/database/instance-identity';
import { isConnectionError } from '../libs/regional-db/src/health/connection-errors';
import { DatabaseHealthMonitorService, RoundResult } from '../libs/regional-db/src/health/database-health-monitor.service';
import { HealthModule } from '../libs/regional-db/src/health/health.module';
import { healthSettings } from '../libs/regional-db/src/health/health.settings';
import { RedisService } from '../libs/regional-db/src/redis/redis.service';
import { TopologyStateService } from '../libs/regional-db/src/topology-state/topology-state.service';
import { bearer, createTestApp, eventually } from './support/app';
import { chaos, testTopology } from './support/test-topology';
import { validateEnvironment } from '../src/config/environment';

const PROBE_TIMEOUT_MS = 500;
const LAG_WARNING_MS = 1_500;
const ROUND_MS = 1_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const settings: Record<string, string> = {
  HEALTH_PROBE_TIMEOUT_MS: String(PROBE_TIMEOUT_MS),
  HEALTH_FAST_RETRY_MS: '100',
  ALERT_REPLICATION_LAG_WARNING_MS: String(LAG_WARNING_MS),
  // Both instances share these alerts, and only these.
  REDIS_PREFIX: `${process.env.REDIS_PREFIX ?? 'rdr:'}health-e2e-${randomUUID().slice(0, 8)}:`,
  // A stopped primary must stay stopped here: this suite is not about failover.
  FAILOVER_AUTOMATIC: 'false',
  // On-demand rounds are retried until every probe answers in time: not this suite's rate limit to test.
  ADMIN_MUTATION_RATE_LIMIT: '1000',
};

function fastTopology(): Topology {
  const t = testTopology();
  return {
    ...t,
    groups: t.groups.map((g) => ({ ...g, healthIntervalMs: ROUND_MS })),
    global: t.global && { ...t.global, healthIntervalMs: ROUND_MS },
  };
}

describe('database health monitoring (real topology)', () => {
  const saved: Record<string, string | undefined> = {};
  const webhookEvents: AlertEvent[] = [];
  let webhookPaths: string[] = [];
  let webhook: Server;
  let a: INestApplication;
  let b: INestApplication;
  let monitor: DatabaseHealthMonitorService;

  const alertsOf = async (app: INestApplication) =>
    (await request(app.getHttpServer()).get('/api/database/alerts?limit=1000').set('Authorization', bearer(app)).expect(200)).body as { active: Alert[]; history: AlertEvent[] };
  /** Events of one alert since `since` (ISO time): a 500 ms probe timeout on a busy machine may have flapped it before. */
  const eventsFor = (history: AlertEvent[], key: string, action: string, since = '') =>
    history.filter((e) => e.alert.key === key && e.action === action && e.at >= since);

  beforeAll(async () => {
    webhook = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        webhookPaths.push(req.url ?? '');
        webhookEvents.push(JSON.parse(body) as AlertEvent);
        res.end();
      });
    });
    await new Promise<void>((ready) => webhook.listen(0, '127.0.0.1', ready));
    settings.ALERT_WEBHOOK_URL = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/hooks/s3cret-token`;
    for (const [name, value] of Object.entries(settings)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
    a = await createTestApp({ topology: fastTopology() });
    b = await createTestApp({ topology: fastTopology() });
    monitor = a.select(HealthModule).get(DatabaseHealthMonitorService, { strict: true });
    // A settled start: on a busy machine a first probe may time out (500 ms here), or an earlier suite's chaos
    // may still be healing; what follows is about this suite's own outages.
    const monitors = [a, b].map((app) => app.select(HealthModule).get(DatabaseHealthMonitorService, { strict: true }));
    await eventually(async () => {
      await Promise.all(monitors.map((m) => m.runRound()));
      const healthy = monitors.every((m) => m.endpointIds().every((id) => m.health(id).isHealthy));
      return healthy && (await alertsOf(a)).active.length === 0;
    }, 60_000, 500);
  }, 90_000);

  afterAll(async () => {
    const redis = a?.get(RedisService);
    const keys = (await redis?.client?.keys(`${settings.REDIS_PREFIX}*`)) ?? [];
    if (keys.length) await redis!.client!.del(...keys);
    await Promise.all([a?.close(), b?.close()]);
    await new Promise((closed) => webhook?.close(closed));
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('knows every endpoint from the first round: role, timeline, positions, no lag', async () => {
    const res = await request(a.getHttpServer()).get('/api/database/health').set('Authorization', bearer(a)).expect(200);
    expect(res.body.systemHealth).toMatchObject({ overall: 'healthy', primaryHealthy: true, activeAlerts: 0, replicaHealth: 100 });
    expect(res.body.groups.map((g: { group: string; writable: boolean }) => [g.group, g.writable])).toEqual([
      ['us-east', true], ['eu-west', true], ['asia-pacific', true], ['global', true],
    ]);
    expect(res.body.endpoints['us-east-primary']).toMatchObject({ status: 'up', isHealthy: true, role: 'primary', readOnly: false, timeline: 1, replicationLagBytes: null });
    expect(res.body.endpoints['us-east-primary'].currentLsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    const replica = res.body.endpoints['global-replica-2'];
    expect(replica).toMatchObject({ isHealthy: true, role: 'replica', timeline: 1, replayPaused: false });
    expect(replica.replayLsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    expect(replica.replicationLagBytes).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(res.body)).not.toMatch(/postgresql:\/\//);
  });

  it('serves metrics, performance and an on-demand round; rejects unknown endpoints and bad limits', async () => {
    const http = a.getHttpServer();
    // Every endpoint answers a round (retried: a 500 ms probe timeout can expire on a busy machine).
    const round = await eventually(async () => {
      const body = (await request(http).post('/api/database/health-check').set('Authorization', bearer(a)).expect(200)).body as RoundResult;
      return body.probes.every((p) => p.reachable && p.isHealthy) && body;
    }, 30_000, 500);
    expect(round.probes).toHaveLength(10);

    monitor.reportQuerySuccess('us-east-replica-1', 3);
    const metrics = (await request(http).get('/api/database/metrics?endpoint=us-east-replica-1&limit=2').set('Authorization', bearer(a)).expect(200)).body;
    expect(metrics.endpoints).toHaveLength(1);
    expect(metrics.endpoints[0]).toMatchObject({ endpointId: 'us-east-replica-1', role: 'replica', status: 'up' });
    expect(metrics.endpoints[0].recentProbes).toHaveLength(2);
    expect(metrics.endpoints[0].probes.p95Ms).toBeGreaterThan(0);
    expect(metrics.endpoints[0].traffic.queries).toBeGreaterThanOrEqual(1);
    expect((await request(http).get('/api/database/metrics').set('Authorization', bearer(a)).expect(200)).body.endpoints).toHaveLength(10);

    const performance = (await request(http).get('/api/database/performance').set('Authorization', bearer(a)).expect(200)).body;
    expect(performance.summary.replicaHealth).toBe(100);
    expect(performance.endpoints).toHaveLength(10);

    const unknown = await request(http).get('/api/database/metrics?endpoint=us-east-replica-9').set('Authorization', bearer(a)).expect(404);
    expect(unknown.body.message).toContain('Unknown endpoint "us-east-replica-9"');
    for (const bad of ['0', '-1', 'ten', '1001', '2.5']) {
      const res = await request(http).get(`/api/database/alerts?limit=${bad}`).set('Authorization', bearer(a)).expect(400);
      expect(res.body.message).toContain('limit must be an integer from 1 to 1000');
    }
    const twice = await request(http).get('/api/database/metrics?endpoint=a&endpoint=b').set('Authorization', bearer(a)).expect(400);
    expect(twice.body.message).toContain('endpoint must be given once');
    await request(http).get('/api/database/metrics?region=us-east').set('Authorization', bearer(a)).expect(400);
  });

  it('re-probes an endpoint at once when the router reports a connection failure on it, not for a query error', async () => {
    // A monitor with no schedule of its own, so every probe it makes is one the report caused.
    const topology = fastTopology();
    const own = new DatabaseHealthMonitorService(
      topology,
      new TopologyStateService(topology),
      { events: new EventEmitter() } as unknown as EndpointRegistry,
      new SchedulerRegistry(),
      healthSettings(validateEnvironment(process.env)),
      new InstanceIdentity(),
    );
    const id = 'global-replica-2';
    const probes: number[] = [];
    try {
      await own.runRound();
      own.events.on('probe', (e) => e.endpointId === id && probes.push(Date.now()));
      await sleep(200);

      own.reportQueryFailure(id, Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505', severity: 'ERROR' }));
      await sleep(400);
      expect(probes).toEqual([]);

      const reportedAt = Date.now();
      own.reportQueryFailure(id, Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
      await eventually(async () => probes.length > 0, 2_000, 5);
      expect(probes[0] - reportedAt).toBeLessThan(PROBE_TIMEOUT_MS);
      // The server answered: the verdict is settled at once, no further re-probes.
      await sleep(400);
      expect(probes).toHaveLength(1);
      expect(own.health(id).isHealthy).toBe(true);
      expect(own.traffic(id)).toMatchObject({ queries: 2, failures: 1 });
    } finally {
      await own.onApplicationShutdown();
    }
  });

  it('marks a stopped replica down right after a live query fails on it; endpoint_down raised once, resolved when it is back', async () => {
    const id = 'us-east-replica-2';
    const key = `endpoint_down:${id}`;
    const registry = a.get(EndpointRegistry);
    // This outage's alert, from a settled start: up, with no alert active from an earlier blip.
    await eventually(async () => monitor.health(id).isHealthy && !(await alertsOf(b)).active.some((x) => x.key === key));
    const since = new Date().toISOString();
    try {
      await chaos.stop(id);
      const failure = await registry.regional(id).user.findFirst().then(() => null, (error: unknown) => error);
      expect(isConnectionError(failure)).toBe(true);
      const reportedAt = Date.now();
      monitor.reportQueryFailure(id, failure);
      await eventually(async () => !monitor.health(id).isHealthy, 5_000, 5);
      expect(Date.now() - reportedAt).toBeLessThan(PROBE_TIMEOUT_MS);
      expect(monitor.verdict(id).status).toBe('down');

      // Both instances see it; after several rounds of both it is still one alert, raised once.
      await eventually(async () => (await alertsOf(b)).active.some((x) => x.key === key));
      await sleep(3 * ROUND_MS);
      const [seenByA, seenByB] = await Promise.all([alertsOf(a), alertsOf(b)]);
      const alert = seenByA.active.find((x) => x.key === key)!;
      expect(alert).toMatchObject({ type: 'endpoint_down', severity: 'high', endpointId: id, group: 'us-east', resolvedAt: null });
      expect(alert.message).toMatch(/^replica us-east-replica-2 is unreachable \(\d+ failed probes\): /);
      expect(seenByB.active.find((x) => x.key === key)).toEqual(alert);
      expect(eventsFor(seenByA.history, key, 'raised', since)).toHaveLength(1);
    } finally {
      await chaos.start(id);
    }
    await eventually(async () => monitor.health(id).isHealthy);
    const after = await eventually(async () => {
      const seen = await alertsOf(b);
      return !seen.active.some((x) => x.key === key) && seen;
    });
    expect(eventsFor(after.history, key, 'resolved', since)).toHaveLength(1);
    expect(eventsFor(after.history, key, 'raised', since)).toHaveLength(1);
    // A POST per change, from whichever instance made it; the webhook's secret path is never logged. Delivery is
    // at least once: an instance whose Redis call times out (a busy machine) announces from its own view, so a
    // raise another instance already posted can be posted again, never a change that did not happen.
    const posted = () => webhookEvents.filter((e) => e.alert.key === key && e.at >= since);
    await eventually(async () => posted().some((e) => e.action === 'resolved'));
    expect(posted().map((e) => e.action).filter((action, i, all) => action !== all[i - 1])).toEqual(['raised', 'resolved']);
    expect(webhookPaths.every((p) => p === '/hooks/s3cret-token')).toBe(true);
    webhookPaths = [];
  });

  it('measures the lag of a replica whose replay is paused while the primary takes writes, alerts, and clears on resume', async () => {
    const id = 'us-east-replica-1';
    const key = `replication_lag:${id}`;
    const writer = new Client({ connectionString: testTopology().groups.find((g) => g.name === 'us-east')!.primary.url });
    writer.on('error', () => undefined); // a server ending the session must not kill the process
    await writer.connect();
    const tag = `health-lag-${randomUUID().slice(0, 8)}`;
    let writing = true;
    const writes = (async () => {
      for (let i = 0; writing; i++) {
        await writer.query("INSERT INTO users (id, username, email, password_hash) VALUES (gen_random_uuid(), $1, 'lag@example.com', 'x')", [`${tag}-${i}`]);
        await sleep(20);
      }
    })();
    try {
      await chaos.pauseReplay(id);
      const alert = await eventually(async () => (await alertsOf(a)).active.find((x) => x.key === key), 20_000);
      expect(alert).toMatchObject({ type: 'replication_lag', severity: 'medium', endpointId: id });
      expect(alert.details).toMatchObject({ replayPaused: true });
      expect(alert.details.replicationLagMs as number).toBeGreaterThanOrEqual(LAG_WARNING_MS);
      const first = monitor.health(id);
      expect(first.replayPaused).toBe(true);
      expect(first.replicationLagBytes).toBeGreaterThan(0);
      // The lag keeps growing while replay stays paused; the other replica keeps up.
      await sleep(2 * ROUND_MS);
      const later = monitor.health(id);
      expect(later.replicationLagBytes!).toBeGreaterThan(first.replicationLagBytes!);
      expect(later.replicationLagMs!).toBeGreaterThan(first.replicationLagMs!);
      expect(monitor.health('global-replica-1').replicationLagMs).toBeLessThan(LAG_WARNING_MS);
    } finally {
      await chaos.resumeReplay(id);
      writing = false;
      await writes.catch(() => undefined);
      await writer.query('DELETE FROM users WHERE username LIKE $1', [`${tag}-%`]).catch(() => undefined);
      await writer.end();
    }
    await eventually(async () => !(await alertsOf(a)).active.some((x) => x.key === key), 20_000);
    await eventually(async () => monitor.health(id).replicationLagMs === 0 && !monitor.health(id).replayPaused);
  });

  it('finishes a round within the probe timeout while a server is frozen', async () => {
    const id = 'eu-west-replica-1';
    const http = a.getHttpServer();
    let first: RoundResult;
    let round: RoundResult;
    let elapsed: number;
    try {
      await chaos.freeze(id);
      first = (await request(http).post('/api/database/health-check').set('Authorization', bearer(a)).expect(200)).body as RoundResult;
      const started = Date.now();
      round = (await request(http).post('/api/database/health-check').set('Authorization', bearer(a)).expect(200)).body as RoundResult;
      elapsed = Date.now() - started;
    } finally {
      await chaos.thaw(id);
    }
    // The first round's probe timed out; its connection is kept a while for a late answer, and this round's probe
    // fails at once instead of queueing behind it (or reconnecting to a server that answers nothing).
    expect(first.probes.find((p) => p.endpointId === id)).toMatchObject({ reachable: false, error: `no answer within ${PROBE_TIMEOUT_MS} ms (probe timeout)` });
    expect(round.probes.find((p) => p.endpointId === id)).toMatchObject({ reachable: false, error: `no answer yet to the previous probe (probe timeout ${PROBE_TIMEOUT_MS} ms)` });
    expect(round.probes.filter((p) => p.endpointId !== id).every((p) => p.reachable)).toBe(true);
    // A bound, not a speed: the round waits for the timeout, never for the frozen server.
    expect(round.durationMs).toBeLessThanOrEqual(PROBE_TIMEOUT_MS + 250);
    expect(elapsed).toBeLessThanOrEqual(PROBE_TIMEOUT_MS + 500);
    await eventually(async () => monitor.health(id).isHealthy);
  });

  it('/health/ready stays 200 while a region has no reachable primary, reporting it, and the group probe is 503; /health/live stays 200', async () => {
    const id = 'asia-pacific-primary';
    const http = a.getHttpServer();
    await request(http).get('/health/ready').expect(200);
    try {
      await chaos.stop(id);
      const body = await eventually(async () => {
        const res = await request(http).get('/health/ready');
        return res.status === 200 && res.body.groups['asia-pacific'].status === 'read-only' && res.body;
      });
      expect(body).toMatchObject({ status: 'ready', impaired: ['asia-pacific'] });
      expect(body.groups['asia-pacific']).toMatchObject({ primary: id, reason: `${id} is not healthy` });
      expect(body.groups['asia-pacific'].endpoints[id]).toEqual({ healthy: false, role: 'primary' });
      expect(body.groups['asia-pacific'].endpoints['asia-pacific-replica-1']).toMatchObject({ healthy: true, role: 'replica' });
      expect(['us-east', 'eu-west', 'global'].map((g) => body.groups[g].status)).toEqual(['writable', 'writable', 'writable']);
      await request(http).get(`/health/groups/asia-pacific/primary`).expect(503);
      await request(http).get('/health/live').expect(200);
      const health = (await request(http).get('/api/database/health').set('Authorization', bearer(a)).expect(200)).body;
      expect(health.systemHealth).toMatchObject({ overall: 'critical', primaryHealthy: false });
    } finally {
      await chaos.start(id);
    }
    await eventually(async () => (await request(http).get('/health/groups/asia-pacific/primary')).status === 200);
  });

  it('shares raised alerts between instances: raised once, resolved by either', async () => {
    const [serviceA, serviceB] = [a.get(AlertService), b.get(AlertService)];
    const raised = await serviceA.raise('failover_failed', 'critical', 'eu-west', 'Failover of eu-west failed: no candidate', { candidates: 0 });
    expect(await serviceB.raise('failover_failed', 'critical', 'eu-west', 'Failover of eu-west failed again', {})).toEqual(raised);
    expect((await alertsOf(b)).active.find((x) => x.key === 'failover_failed:eu-west')).toEqual(raised);
    await serviceB.raise('failover_completed', 'high', 'eu-west', 'Failover of eu-west completed', {});
    expect(await serviceB.resolve('failover_failed:eu-west')).toMatchObject({ id: raised.id, resolvedAt: expect.any(String) });
    const seen = await alertsOf(a);
    expect(seen.active.some((x) => x.key.startsWith('failover_'))).toBe(false);
    expect(seen.history.slice(0, 3).map((e) => `${e.action} ${e.alert.key}`)).toEqual([
      'resolved failover_failed:eu-west', 'raised failover_completed:eu-west', 'raised failover_failed:eu-west',
    ]);
  });
});
