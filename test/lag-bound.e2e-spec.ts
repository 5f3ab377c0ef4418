// The replica lag bound between health rounds (30 s here): with replay paused on every us-east replica while
// posts keep being written through HTTP, reads leave the replicas within 2 s of them passing the bound, so a
// post acknowledged more than bound + 2 s earlier is never a 404. Replay is resumed, and seen caught up,
// whatever happens.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DatabaseHealthMonitorService } from '../libs/regional-db/src/health/database-health-monitor.service';
import { HealthModule } from '../libs/regional-db/src/health/health.module';
import { ConnectionRouterService } from '../libs/regional-db/src/router/connection-router.service';
import { createTestApp, eventually } from './support/app';
import { closeApp, signUp, suitePrefix, useEnv } from './support/suite';
import { chaos, testTopology } from './support/test-topology';

const BOUND_MS = 5_000;
/** What the feature guarantees: no read on a replica past the bound for longer than this. */
const GRACE_MS = 2_000;
const REDIS_PREFIX = suitePrefix('lag-bound-e2e');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the replica lag bound between health rounds (real topology)', () => {
  useEnv({ PASSWORD_HASH_COST: '4', ROUTER_DEFAULT_MAX_LAG_MS: String(BOUND_MS), REDIS_PREFIX, FAILOVER_AUTOMATIC: 'false' });
  const topology = testTopology();
  const replicas = topology.groups.find((g) => g.name === 'us-east')!.replicas.map((r) => r.id);
  let app: INestApplication;
  let http: ReturnType<INestApplication['getHttpServer']>;
  let monitor: DatabaseHealthMonitorService;
  let router: ConnectionRouterService;
  const caughtUp = () => eventually(async () => replicas.every((id) => monitor.health(id).isHealthy && monitor.replicaLag(id)?.bytes === 0), 30_000, 200);

  beforeAll(async () => {
    app = await createTestApp({ topology });
    http = app.getHttpServer();
    monitor = app.select(HealthModule).get(DatabaseHealthMonitorService, { strict: true });
    router = app.get(ConnectionRouterService);
  });

  afterAll(() => closeApp(app, REDIS_PREFIX));

  it('moves reads to the primary when every replica is paused under writes: no stale 404', async () => {
    const { auth } = await signUp(http, 'us-east');
    // Every replica in rotation and caught up before the pause.
    await caughtUp();

    const acknowledged: { id: string; at: number }[] = [];
    const stale: { id: string; ageMs: number; status: number }[] = [];
    let reads = 0;
    let writing = true;
    const writer = (async () => {
      while (writing) {
        const res = await request(http).post('/api/posts').set(auth).send({ content: `written at ${Date.now()}` });
        if (res.status === 201) acknowledged.push({ id: res.body.id, at: Date.now() });
        await sleep(50);
      }
    })();

    try {
      await Promise.all(replicas.map((id) => chaos.pauseReplay(id)));
      const pausedAt = Date.now();
      // Anonymous reads without the consistency token: only the lag bound keeps them from stale replicas.
      const readUntil = pausedAt + BOUND_MS + GRACE_MS + 4_000;
      while (Date.now() < readUntil) {
        const due = acknowledged.filter((p) => p.at > pausedAt && Date.now() - p.at >= BOUND_MS + GRACE_MS);
        for (const post of due.slice(-3)) {
          const res = await request(http).get(`/api/posts/${post.id}`);
          reads++;
          if (res.status !== 200) stale.push({ id: post.id, ageMs: Date.now() - post.at, status: res.status });
        }
        await sleep(100);
      }
      expect(reads).toBeGreaterThan(10);
      expect(stale).toEqual([]);

      // The app says so too: both replicas past the bound, and us-east reads all on the primary.
      for (const id of replicas) expect(monitor.health(id).replicationLagMs).toBeGreaterThan(BOUND_MS);
      router.resetRoutingMetrics();
      for (let i = 0; i < 10; i++) await request(http).get('/api/feed').set('X-Region', 'us-east').expect(200);
      const routed = router.routingMetrics().queriesRouted.byEndpoint;
      expect(replicas.map((id) => routed[id])).toEqual(replicas.map(() => 0));
      expect(routed['us-east-primary']).toBeGreaterThanOrEqual(10);
    } finally {
      writing = false;
      await writer;
      await Promise.all(replicas.map((id) => chaos.resumeReplay(id)));
      // Later suites start from replicas caught up and back in rotation.
      await caughtUp();
    }
    // Caught up again: the replicas serve reads again, well before the next 30 s round.
    router.resetRoutingMetrics();
    await eventually(async () => {
      await request(http).get('/api/feed').set('X-Region', 'us-east').expect(200);
      return replicas.some((id) => router.routingMetrics().queriesRouted.byEndpoint[id] > 0);
    }, 10_000, 100);
  });
});
