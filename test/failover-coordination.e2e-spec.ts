import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { INestApplication } from '@nestjs/common';
import { TopologyStateService } from '../libs/regional-db/src/topology-state/topology-state.service';
import * as local from '../tools/topology/local-topology';
import { createTestApp, eventually } from './support/app';
import { failoverTopologyOptions, freshFailoverTopology, queryServer } from './support/failover-topology';
import { ownRedisServer } from './support/redis-server';

// A Redis of this suite's own, so that it can be taken away from under the app.
const REDIS_PORT = Number(process.env.TEST_TOPOLOGY_PORT_BASE ?? 26000) + 390;
const { start: startRedis, stop: stopRedis } = ownRedisServer(REDIS_PORT, 'coordination');

describe('failover when the coordination store is unreachable', () => {
  const options = failoverTopologyOptions();
  let app: INestApplication | undefined;
  const saved = { url: process.env.REDIS_URL, prefix: process.env.REDIS_PREFIX, retry: process.env.FAILOVER_RETRY_MS };

  afterEach(async () => {
    await app?.close();
    stopRedis();
    Object.assign(process.env, { REDIS_URL: saved.url, REDIS_PREFIX: saved.prefix, FAILOVER_RETRY_MS: saved.retry });
  });
  afterAll(() => local.down(options));

  it('withholds promotion while Redis is down, then fails over once it is back', async () => {
    const topology = await freshFailoverTopology(options);
    startRedis();
    process.env.REDIS_URL = `redis://127.0.0.1:${REDIS_PORT}`;
    process.env.REDIS_PREFIX = `coordination-${Date.now()}:`;
    process.env.FAILOVER_RETRY_MS = '1000';
    app = await createTestApp({ topology });
    const state = app.get(TopologyStateService);

    stopRedis();
    await local.killServer(options, 'us-east-primary');
    // Detection takes about a second; give it several and check that nobody was promoted meanwhile.
    await new Promise((r) => setTimeout(r, 5_000));
    expect(state.primaryOf('us-east')).toBe('us-east-primary');
    for (const replica of topology.groups[0].replicas) {
      expect((await queryServer<{ r: boolean }>(replica.url, 'SELECT pg_is_in_recovery() AS r'))[0].r).toBe(true);
    }

    startRedis();
    const promoted = await eventually(async () => state.primaryOf('us-east') !== 'us-east-primary' && state.primaryOf('us-east'), 30_000);
    expect(['us-east-replica-1', 'us-east-replica-2']).toContain(promoted);
  });
});
