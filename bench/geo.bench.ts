// Geo key-value read (seed 001) in eu-west through GeoService, measured in one process, samples interleaved:
//  - cache hit: the value from eu-west's cache;
//  - database read: a key not in the cache, read from the global group's nearest replica and cached (the
//    read-through path a client gets with `source: "database"`); target: the hit at least 5x faster;
//  - also the bare database query (a GeoService with no cache at all: no lookup, no fill), for reference.
// Services are constructed by hand (tsx emits no decorator metadata).
// Run: TOPOLOGY_FILE=/path/topology.json REDIS_URL=redis://127.0.0.1:6379/14 npx tsx bench/geo.bench.ts
// Listed as: geo key-value read in eu-west: regional cache hit vs database read-through; takes about 30 s.
import { SchedulerRegistry } from '@nestjs/schedule';
import { randomUUID } from 'node:crypto';
import { ConnectionRouterService, DatabaseHealthMonitorService, EndpointRegistry, loadTopologyFile, RedisService, type Topology, TopologyStateService } from '@regional-db/nestjs';
import { InstanceIdentity } from '../libs/regional-db/src/database/instance-identity';
import { GeoService } from '../src/geo/geo.service';
import { inRegion } from '../src/geo/in-region';
import { healthSettings } from '../libs/regional-db/src/health/health.settings';
import { RegionalCacheService } from '../src/regional-cache/regional-cache.service';
import { runBench } from './support/run';
import { validateEnvironment } from '../src/config/environment';
import { configFrom } from '../src/config/settings.module';
import { redisSettings } from '../libs/regional-db/src/redis/redis.settings';
import { APP_PRISMA_CLIENTS } from '../src/app-prisma-clients';

const config = configFrom(process.env);

const ROUNDS = 20;
const READS_PER_ROUND = 200;
const TARGET_RATIO = 5;
const REGION = 'eu-west';

type Read = (i: number) => Promise<{ source: string }>;

/** Per-read latencies (µs) of `n` reads in a row, each checked to come from `source`. */
async function sample(read: Read, source: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    const result = await read(i);
    out.push((performance.now() - started) * 1000);
    if (result.source !== source) throw new Error(`expected a read from the ${source}, got one from the ${result.source}`);
  }
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  process.env.REDIS_PREFIX ??= `geo-bench-${randomUUID().slice(0, 8)}:`;
  const topology = loadTopologyFile(process.env.TOPOLOGY_FILE!);
  const registry = new EndpointRegistry(topology, new InstanceIdentity(), APP_PRISMA_CLIENTS);
  const state = new TopologyStateService(topology);
  const monitor = new DatabaseHealthMonitorService(topology, state, registry, new SchedulerRegistry(), healthSettings(validateEnvironment(process.env)), new InstanceIdentity());
  await monitor.onModuleInit();
  const router = new ConnectionRouterService(topology, registry, state, monitor, validateEnvironment(process.env));
  const redis = new RedisService(redisSettings(validateEnvironment(process.env)));
  await redis.ready();
  const caches = new RegionalCacheService(topology, redis);
  await caches.onModuleInit();
  if (!caches.has(REGION)) throw new Error(`${REGION} has no cache: give the topology a cacheUrl or set REDIS_URL`);
  // The same service with no cache at all: every read goes to the database.
  const uncachedTopology: Topology = { ...topology, regions: topology.regions.map((r) => ({ ...r, cacheUrl: null })) };
  const noCache = new RegionalCacheService(uncachedTopology, { client: null } as RedisService);
  const cached = new GeoService(router, caches, topology, config);
  const database = new GeoService(router, noCache, topology, config);
  const prefix = `bench:${randomUUID()}:`;
  const kv = router.global().write().keyValue;
  try {
    // Keys written straight to the database (not through GeoService.write, which would fence them): each
    // database-read sample reads a key never read before, so it really misses the cache.
    const total = (ROUNDS + 1) * READS_PER_ROUND;
    await kv.createMany({ data: Array.from({ length: total }, (_, i) => ({ key: `${prefix}${i}`, value: 'x'.repeat(64) })) });
    const hot = `${prefix}hot`;
    await kv.create({ data: { key: hot, value: 'x'.repeat(64) } });
    const replicated = async () => (await inRegion(REGION, () => router.global().read().keyValue.count({ where: { key: { startsWith: prefix } } }))) === total + 1;
    for (let tries = 0; !(await replicated()); tries++) {
      if (tries > 100) throw new Error('the keys did not reach the replica');
      await new Promise((r) => setTimeout(r, 50));
    }
    let next = 0;
    const hit: Read = () => inRegion(REGION, () => cached.read(hot));
    const miss: Read = () => inRegion(REGION, () => cached.read(`${prefix}${next++}`));
    const bare: Read = () => inRegion(REGION, () => database.read(hot));
    await hit(0);

    await sample(hit, 'cache', READS_PER_ROUND);
    await sample(miss, 'database', READS_PER_ROUND);
    await sample(bare, 'database', READS_PER_ROUND);
    const samples = new Map<Read, number[]>([[hit, []], [miss, []], [bare, []]]);
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? [hit, miss, bare] : [bare, miss, hit];
      for (const read of order) samples.get(read)!.push(...(await sample(read, read === hit ? 'cache' : 'database', READS_PER_ROUND)));
    }
    const [h, m, b] = [hit, miss, bare].map((read) => median(samples.get(read)!));
    const ratio = m / h;
    const where = topology.regions.find((r) => r.name === REGION)?.cacheUrl ? `${REGION}'s own Redis` : 'the shared Redis';
    console.log(`geo read in ${REGION}, ${ROUNDS * READS_PER_ROUND} reads each, interleaved:`);
    console.log(`  cache hit (${where}):                   median ${h.toFixed(0)} µs`);
    console.log(`  database read (miss, replica, cache fill): median ${m.toFixed(0)} µs`);
    console.log(`  bare database query (no cache in the path): median ${b.toFixed(0)} µs (${(b / h).toFixed(1)}x the hit)`);
    console.log(`  cached read is ${ratio.toFixed(1)}x faster than the database read (target >= ${TARGET_RATIO}x): ${ratio >= TARGET_RATIO ? 'PASS' : 'FAIL'}`);
    const metrics = [
      { label: `cache hit in ${REGION}, median (baseline: database read; ratio: how many times faster)`, value: Math.round(h), unit: 'µs', baseline: Math.round(m), ratio, target: TARGET_RATIO, pass: ratio >= TARGET_RATIO },
      { label: 'bare database query, no cache in the path, median', value: Math.round(b), unit: 'µs' },
    ];
    console.log(`BENCH_RESULT ${JSON.stringify({ name: 'geo', metrics })}`);
    if (ratio < TARGET_RATIO) process.exitCode = 1;
  } finally {
    await kv.deleteMany({ where: { key: { startsWith: prefix } } });
    await caches.onApplicationShutdown();
    await redis.onApplicationShutdown();
    await monitor.onApplicationShutdown();
    await registry.onApplicationShutdown();
  }
}

runBench(main);
