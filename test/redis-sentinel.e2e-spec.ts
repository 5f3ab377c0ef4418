// Issue 12, item 4: coordination through Redis Sentinel survives the loss of the Redis primary. The Redis
// primary is killed (-9) and, while Sentinel promotes its replica, so is the us-east PostgreSQL primary:
// exactly one PostgreSQL replica is promoted, and the lock and the stored topology state are intact.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { INestApplication } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { Topology } from '../libs/regional-db/src/config/topology.types';
import type { FailoverRecord } from '../libs/regional-db/src/failover/failover-record';
import { RegionalFailoverService } from '../libs/regional-db/src/failover/regional-failover.service';
import { RedisService } from '../libs/regional-db/src/redis/redis.service';
import type { GroupState } from '../libs/regional-db/src/topology-state/topology-state.service';
import { TopologyStateService } from '../libs/regional-db/src/topology-state/topology-state.service';
import * as local from '../tools/topology/local-topology';
import { StepLog } from '../tools/topology/options';
import { killRedisHaPrimary, redisHaEnv, redisHaPrimaryPort, REDIS_HA_NAME, startRedisHa } from '../tools/topology/redis-ha';
import { createTestApp, eventually } from './support/app';
import { failoverTopologyOptions, freshFailoverTopology, queryServer } from './support/failover-topology';

// Its own small topology and Redis HA on ports 300-344 above the shared base (inside this suite's range).
const options = failoverTopologyOptions([], { name: 'sentinel-topology', portOffset: 800 });
const SAVED = ['REDIS_URL', 'REDIS_PREFIX', 'REDIS_SENTINELS', 'REDIS_SENTINEL_NAME'] as const;

describe('Sentinel: the double fault (Redis primary and PostgreSQL primary killed together)', () => {
  const saved = Object.fromEntries(SAVED.map((k) => [k, process.env[k]]));
  const prefix = `sentinel-${Date.now()}:`;
  let topology: Topology;
  let app: INestApplication | undefined;
  let reader: Redis | undefined;

  beforeAll(async () => {
    topology = await freshFailoverTopology(options);
    await startRedisHa(options.dir, options.portBase, new StepLog(() => undefined));
    delete process.env.REDIS_URL;
    Object.assign(process.env, { ...redisHaEnv(options.dir, options.portBase), REDIS_PREFIX: prefix });
    app = await createTestApp({ topology });
    reader = new Redis({
      sentinels: process.env.REDIS_SENTINELS!.split(',').map((s) => ({ host: '127.0.0.1', port: Number(s.split(':')[1]) })),
      name: REDIS_HA_NAME,
      lazyConnect: true,
      retryStrategy: () => 200,
    });
    reader.on('error', () => undefined);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    reader?.disconnect();
    for (const key of SAVED) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
    await local.down(options);
  }, 60_000);

  it('promotes exactly one PostgreSQL replica, and the stored lock and state survive the Redis failover', async () => {
    const state = app!.get(TopologyStateService);
    const redis = app!.get(RedisService);
    expect(redis.coordination).toBe('available');
    const before = state.state('us-east');
    const redisPrimaryBefore = await redisHaPrimaryPort(options.dir, options.portBase);

    await killRedisHaPrimary(options.dir, options.portBase);
    await local.killServer(options, 'us-east-primary');

    // Sentinel promotes the Redis replica, then the withheld failover goes on.
    const promoted = await eventually(async () => {
      const primary = state.primaryOf('us-east');
      return primary !== 'us-east-primary' && primary;
    }, 60_000);
    expect(await redisHaPrimaryPort(options.dir, options.portBase)).not.toBe(redisPrimaryBefore);

    // Exactly one promotion, as the servers themselves say: the killed primary is gone, one replica left recovery.
    const replicas = topology.groups.find((g) => g.name === 'us-east')!.replicas;
    const inRecovery = await Promise.all(replicas.map(async (r) => (await queryServer<{ r: boolean }>(r.url, 'SELECT pg_is_in_recovery() AS r'))[0].r));
    expect(replicas.filter((_, i) => !inRecovery[i]).map((r) => r.id)).toEqual([promoted]);

    // ...and as the failover history (in Redis, on its new primary) says.
    const failovers = app!.get(RegionalFailoverService);
    const completed = await eventually(async () => {
      const records = (await failovers.history(50)).filter((r: FailoverRecord) => r.group === 'us-east' && r.outcome === 'completed');
      return records.length ? records : null;
    }, 20_000);
    expect(completed).toHaveLength(1);
    expect(completed[0]).toMatchObject({ from: 'us-east-primary', to: promoted, epoch: before.epoch + 1 });

    // The stored state is the new primary at the new epoch; the lock was released, not left behind or lost held.
    await reader!.connect().catch(() => undefined);
    const stored = await eventually(async () => {
      const json = await reader!.hget(`${prefix}topology:us-east`, 'state');
      return json ? (JSON.parse(json) as GroupState) : null;
    }, 20_000);
    expect(stored).toMatchObject({ group: 'us-east', primaryId: promoted, epoch: before.epoch + 1 });
    expect(state.state('us-east')).toMatchObject({ primaryId: promoted, epoch: before.epoch + 1 });
    expect(await reader!.get(`${prefix}failover-lock:us-east`)).toBeNull();
    expect(redis.coordination).toBe('available');
  }, 120_000);
});
