// A replica's outages on the real topology (eu-west: one primary, one replica): frozen (SIGSTOP), a read held
// on it is cut once it is marked down and answered elsewhere long before the 17 s query timeout; stopped and
// started again, it serves reads again within one health interval. Every server is thawed or started again,
// and seen healthy, whatever happens.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import request from 'supertest';
import { DatabaseHealthMonitorService } from '../libs/regional-db/src/health/database-health-monitor.service';
import { HealthModule } from '../libs/regional-db/src/health/health.module';
import { ConnectionRouterService } from '../libs/regional-db/src/router/connection-router.service';
import { createTestApp, eventually } from './support/app';
import { closeApp, signUp, suitePrefix, useEnv } from './support/suite';
import { chaos, testTopology } from './support/test-topology';

const HEALTH_INTERVAL_MS = 10_000;
const REGION = 'eu-west';
const REPLICA = 'eu-west-replica-1';
const PRIMARY = 'eu-west-primary';
const REDIS_PREFIX = suitePrefix('replica-outage-e2e');

describe('a replica frozen, then stopped and started (real topology)', () => {
  useEnv({ PASSWORD_HASH_COST: '4', REDIS_PREFIX, FAILOVER_AUTOMATIC: 'false' });
  const shared = testTopology();
  const topology = { ...shared, groups: shared.groups.map((g) => ({ ...g, healthIntervalMs: HEALTH_INTERVAL_MS })) };
  let app: INestApplication;
  let http: ReturnType<INestApplication['getHttpServer']>;
  let monitor: DatabaseHealthMonitorService;
  let router: ConnectionRouterService;

  const readsOn = (id: string) => router.routingMetrics().queriesRouted.byEndpoint[id] ?? 0;
  const healthy = (id: string) =>
    eventually(async () => {
      await monitor.probe(id);
      return monitor.health(id).isHealthy;
    }, 30_000, 200);

  beforeAll(async () => {
    app = await createTestApp({ topology });
    http = app.getHttpServer();
    monitor = app.select(HealthModule).get(DatabaseHealthMonitorService, { strict: true });
    router = app.get(ConnectionRouterService);

    // A eu-west post, on the replica already, so the region's feed has something to read.
    const { auth } = await signUp(http, REGION);
    const post = await request(http).post('/api/posts').set(auth).send({ content: 'on the replica' }).expect(201);
    const replica = new Client({ connectionString: topology.groups.find((g) => g.name === REGION)!.replicas[0].url });
    replica.on('error', () => undefined);
    await replica.connect();
    await eventually(async () => (await replica.query('SELECT 1 FROM posts WHERE id = $1', [post.body.id])).rowCount === 1).finally(() => replica.end());
  });

  afterAll(() => closeApp(app, REDIS_PREFIX));

  it('cuts a read held by a frozen replica once it is marked down and answers it from the primary', async () => {
    await healthy(REPLICA);
    router.resetRoutingMetrics();
    try {
      await chaos.freeze(REPLICA);
      // The only replica, still in rotation: the read goes there and hangs.
      const started = Date.now();
      const res = await request(http).get('/api/feed').set('X-Region', REGION);
      const elapsedMs = Date.now() - started;
      expect(res.status).toBe(200);
      expect(monitor.verdict(REPLICA).status).toBe('down');
      const metrics = router.routingMetrics();
      expect(metrics.queriesRouted.byEndpoint[REPLICA]).toBe(1);
      expect(metrics.retries).toBe(1);
      expect(readsOn(PRIMARY)).toBe(1);
      // The client query timeout is 17 s; marking down takes a few seconds.
      expect(elapsedMs).toBeLessThan(10_000);
    } finally {
      await chaos.thaw(REPLICA);
      await healthy(REPLICA);
    }
  });

  it('serves reads from a stopped replica again within one health interval of starting it', async () => {
    await healthy(REPLICA);
    let stopped = false;
    try {
      await chaos.stop(REPLICA);
      stopped = true;
      await eventually(async () => {
        await request(http).get('/api/feed').set('X-Region', REGION).expect(200);
        return monitor.verdict(REPLICA).status === 'down';
      }, 30_000, 200);
      await chaos.start(REPLICA);
      stopped = false;
      const startedAt = Date.now();
      router.resetRoutingMetrics();
      await eventually(async () => {
        await request(http).get('/api/feed').set('X-Region', REGION).expect(200);
        return readsOn(REPLICA) > 0;
      }, HEALTH_INTERVAL_MS, 100);
      expect(Date.now() - startedAt).toBeLessThan(HEALTH_INTERVAL_MS);
      expect(monitor.health(REPLICA).isHealthy).toBe(true);
    } finally {
      if (stopped) await chaos.start(REPLICA);
      await healthy(REPLICA);
    }
  });
});
