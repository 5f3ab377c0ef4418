// A former primary rejoined as a replica (pg_rewind) serves reads again within one health interval of being
// seen streaming, in rotation with the other replica. On a small topology of its own: the switchover changes
// who is primary, which the shared one must not see.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { TokenService } from '../src/auth/token.service';
import type { Topology } from '../libs/regional-db/src/config/topology.types';
import { ConnectionRouterService } from '../libs/regional-db/src/router/connection-router.service';
import { TopologyStateService } from '../libs/regional-db/src/topology-state/topology-state.service';
import * as local from '../tools/topology/local-topology';
import { createTestApp, eventually } from './support/app';
import { failoverTopologyOptions, freshFailoverTopology } from './support/failover-topology';
import { closeApp, suitePrefix, useEnv } from './support/suite';

const HEALTH_INTERVAL_MS = 10_000;
const PRIMARY = 'us-east-primary';
const TARGET = 'us-east-replica-2';
const REDIS_PREFIX = suitePrefix('rejoin-reads-e2e');

describe('a rejoined former primary back in read rotation (real small topology)', () => {
  useEnv({ REDIS_PREFIX });
  const options = failoverTopologyOptions([], { name: 'rejoin-reads-topology', portOffset: 400 });
  let topology: Topology;
  let app: INestApplication;

  beforeAll(async () => {
    const fresh = await freshFailoverTopology(options);
    topology = { ...fresh, groups: fresh.groups.map((g) => ({ ...g, healthIntervalMs: HEALTH_INTERVAL_MS })) };
    app = await createTestApp({ topology });
  });

  afterAll(async () => {
    await closeApp(app, REDIS_PREFIX);
    await local.down(options);
  });

  it('reads from the rejoined former primary within one health interval', async () => {
    const http = app.getHttpServer();
    const token = app.get(TokenService).sign({ sub: 'rejoin-test', roles: ['admin'] });
    const switchover = await request(http).post('/api/database/failover/us-east').set('Authorization', `Bearer ${token}`).send({ targetEndpoint: TARGET });
    expect(switchover.status).toBe(200);
    expect(app.get(TopologyStateService).primaryOf('us-east')).toBe(TARGET);

    await local.rejoin(options, PRIMARY, TARGET);
    const streamingAt = Date.now();
    const router = app.get(ConnectionRouterService);
    router.resetRoutingMetrics();
    await eventually(async () => {
      await request(http).get('/api/feed').set('X-Region', 'us-east').expect(200);
      return router.routingMetrics().queriesRouted.byEndpoint[PRIMARY] > 0;
    }, HEALTH_INTERVAL_MS, 100);
    expect(Date.now() - streamingAt).toBeLessThan(HEALTH_INTERVAL_MS);

    // A replica like the others: reads rotate between it and the replica that stayed one.
    router.resetRoutingMetrics();
    for (let i = 0; i < 20; i++) await request(http).get('/api/feed').set('X-Region', 'us-east').expect(200);
    const routed = router.routingMetrics().queriesRouted.byEndpoint;
    expect(routed[PRIMARY]).toBeGreaterThan(0);
    expect(routed['us-east-replica-1']).toBeGreaterThan(0);
    expect(routed[TARGET]).toBe(0);
  });
});
