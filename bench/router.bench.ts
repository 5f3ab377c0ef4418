// Router benchmarks against a running topology (TOPOLOGY_FILE, e.g. from `npx tsx scripts/topology.ts up`), run
// from the compiled build (what production runs), every comparison in interleaved rounds (the order rotates per
// round) with each ratio's min / median / max over the rounds:
//  1. the routing decision alone (selector, 10 endpoints), median ns;
//  2. router overhead: `router.read().findFirst` vs the same query on the endpoint's own client, same endpoint
//     (eu-west has one replica), at 1, 8 and 32 in flight; and CPU µs per query;
//  3. Prisma's batching: `Promise.all` of 32 `findUnique` on us-east (two replicas) through the router, through
//     @prisma/extension-read-replicas and through pgpool-II (started here on BENCH_PGPOOL_PORT, default
//     BENCH_PORT_BASE + 90), against one replica's own client;
//  4. side by side with @prisma/extension-read-replicas on us-east: read throughput, and failed reads while one
//     replica is killed mid-run (the replica is restarted after each run).
// Services are constructed by hand (no Nest injector needed).
// Run: TOPOLOGY_FILE=/path/topology.json npx tsx bench/router.bench.ts
// Listed as: router overhead vs a bare Prisma client (1, 8, 32 in flight), batching of 32 findUnique vs @prisma/extension-read-replicas and pgpool-II, a replica killed; takes about 3 min.
import { SchedulerRegistry } from '@nestjs/schedule';
import { readReplicas } from '@prisma/extension-read-replicas';
import { dirname, join } from 'node:path';
import { ConnectionRouterService, DatabaseHealthMonitorService, EndpointRegistry, loadTopologyFile, type Topology, TopologyStateService } from '@regional-db/nestjs';
import type { RegionalPrismaClient } from '../src/app-prisma-clients';
import { InstanceIdentity } from '../libs/regional-db/src/database/instance-identity';
import { healthSettings } from '../libs/regional-db/src/health/health.settings';
import { killServer, startServer } from '../tools/topology/local-topology';
import { selectorBench } from './router-selector.bench';
import { validateEnvironment } from '../src/config/environment';
import { APP_PRISMA_CLIENTS } from '../src/app-prisma-clients';
import { runCompiled } from './support/compiled';
import { startPgpool } from './support/pgpool';
import { interleaved, RatioSpread, ratioMetric } from './support/rounds';

const CONCURRENCY = 8;
const OVERHEAD_CONCURRENCY = [1, 8, 32];
const ROUNDS = 15;
const ROUND_MS = 300;
const BATCH = 32;
const KILL_RUN_MS = 3_000;
const KILL_AT_MS = 1_000;
const VICTIM = 'us-east-replica-1';

type Reader = () => Promise<unknown>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Queries per second of `read` at `CONCURRENCY` for `ms`, and the failures seen meanwhile. */
async function drive(read: Reader, ms: number, onTick?: (elapsed: number) => void, concurrency = CONCURRENCY): Promise<{ qps: number; failed: number }> {
  let done = 0;
  let failed = 0;
  const started = Date.now();
  const end = started + ms;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        try {
          await read();
          done++;
        } catch {
          failed++;
        }
        onTick?.(Date.now() - started);
      }
    }),
  );
  return { qps: done / (ms / 1000), failed };
}

/** Node CPU per query with 4 in flight: the overhead itself, less sensitive to other load on the machine. */
async function cpuPerQuery(read: Reader, n = 2_000): Promise<number> {
  const before = process.cpuUsage();
  await Promise.all(Array.from({ length: 4 }, async () => { for (let i = 0; i < n / 4; i++) await read(); }));
  const used = process.cpuUsage(before);
  return (used.user + used.system) / n;
}

/** Median CPU per query of each reader, samples interleaved in alternating order. */
async function cpuMedians(readers: Reader[], count = 9): Promise<number[]> {
  const samples = readers.map(() => [] as number[]);
  for (let i = 0; i < count; i++) {
    const order = i % 2 === 0 ? [...readers.keys()] : [...readers.keys()].reverse();
    for (const r of order) samples[r].push(await cpuPerQuery(readers[r]));
  }
  return samples.map((values) => values.sort((a, b) => a - b)[count >> 1]);
}

/**
 * The router's own work per query (endpoint choice, bookkeeping, promise layers), with an endpoint client that
 * answers at once: ns per query over calling that client directly. Stable where machine noise swamps q/s.
 */
async function routingWorkNs(topology: Topology, state: TopologyStateService, monitor: DatabaseHealthMonitorService): Promise<number> {
  const instant = { user: { findFirst: (args: unknown) => Promise.resolve(args) }, _runtimeDataModel: { models: { User: { fields: [] } } } };
  const registry = { get: () => ({ client: instant }) } as unknown as EndpointRegistry;
  const router = new ConnectionRouterService(topology, registry, state, monitor, validateEnvironment(process.env));
  const per = async (read: Reader) => {
    const n = 100_000;
    const started = performance.now();
    for (let i = 0; i < n; i++) await read();
    return ((performance.now() - started) * 1e6) / n;
  };
  const overheads: number[] = [];
  for (let round = 0; round < 7; round++) {
    const direct = await per(() => instant.user.findFirst(null));
    overheads.push((await per(() => router.read('eu-west').user.findFirst({}))) - direct);
  }
  return overheads.sort((a, b) => a - b)[3];
}

type Metric = { label: string; value: number; unit: string; baseline?: number; ratio?: number; target?: number; pass?: boolean; rounds?: RatioSpread | object };

async function main(): Promise<void> {
  const file = process.env.TOPOLOGY_FILE;
  if (!file) throw new Error('set TOPOLOGY_FILE to a running topology (npx tsx scripts/topology.ts up ...)');
  const topology = loadTopologyFile(file);
  const chaosOptions = { dir: dirname(file), log: () => undefined };
  const registry = new EndpointRegistry(topology, new InstanceIdentity(), APP_PRISMA_CLIENTS);
  const state = new TopologyStateService(topology);
  const monitor = new DatabaseHealthMonitorService(topology, state, registry, new SchedulerRegistry(), healthSettings(validateEnvironment(process.env)), new InstanceIdentity());
  await monitor.onModuleInit();
  const router = new ConnectionRouterService(topology, registry, state, monitor, validateEnvironment(process.env));
  const lookup = { where: { username: 'bench-nobody' } };
  const metrics: Metric[] = [];
  const group = topology.groups.find((g) => g.name === 'us-east')!;
  const pgpoolPort = Number(process.env.BENCH_PGPOOL_PORT ?? Number(process.env.BENCH_PORT_BASE ?? 25900) + 90);
  const pgpool = await startPgpool(group, pgpoolPort, join(dirname(file), 'pgpool'));
  const pgpoolRegistry = pgpool ? new EndpointRegistry({ ...topology, groups: [{ ...group, primary: { ...group.primary, url: pgpool.url }, replicas: [] }], global: null }, new InstanceIdentity(), APP_PRISMA_CLIENTS) : null;

  try {
    const selector = selectorBench();
    console.log(`selector, 10 endpoints: median ${selector.medianNs.toFixed(0)} ns per decision (target < 2000 ns)`);
    metrics.push({ label: 'selector decision, 10 endpoints (median)', value: Math.round(selector.medianNs), unit: 'ns', target: 2000, pass: selector.medianNs < 2000 });

    const workNs = await routingWorkNs(topology, state, monitor);
    console.log(`router's own work per query (instant endpoint): median ${(workNs / 1000).toFixed(2)} µs`);
    metrics.push({ label: "router's own work per query (instant endpoint)", value: Math.round(workNs) / 1000, unit: 'µs' });

    const direct = registry.regional('eu-west-replica-1');
    const directRead: Reader = () => direct.user.findFirst(lookup);
    const routedRead: Reader = () => router.read('eu-west').user.findFirst(lookup);
    for (const concurrency of OVERHEAD_CONCURRENCY) {
      const readers: Record<string, Reader> = { direct: directRead, router: routedRead };
      const result = await interleaved(['direct', 'router'], 'direct', ROUNDS, async (name) => (await drive(readers[name], ROUND_MS, undefined, concurrency)).qps);
      console.log(
        `router overhead, findFirst on eu-west-replica-1, ${concurrency} in flight: direct ${result.direct.qps.toFixed(0)} q/s, router ` +
          `${result.router.qps.toFixed(0)} q/s, ratio median ${result.router.ratio.toFixed(3)} (min ${result.router.min.toFixed(3)}, max ${result.router.max.toFixed(3)}; target >= 0.97)`,
      );
      metrics.push(ratioMetric(`router.read().findFirst vs direct client, ${concurrency} in flight`, result.router, result.direct, 0.97));
    }
    const [directCpu, routedCpu] = await cpuMedians([directRead, routedRead]);
    console.log(`CPU per query ${directCpu.toFixed(1)} µs direct vs ${routedCpu.toFixed(1)} µs routed; the router's own work alone would give ${(directCpu / (directCpu + workNs / 1000)).toFixed(3)}`);
    metrics.push({ label: 'CPU per query, routed (baseline: direct)', value: Math.round(routedCpu * 10) / 10, unit: 'µs', baseline: Math.round(directCpu * 10) / 10, ratio: routedCpu / directCpu });

    const peer = registry
      .regional(group.primary.id)
      .$extends(readReplicas({ replicas: group.replicas.map((r) => registry.regional(r.id)) as never })) as unknown as RegionalPrismaClient;

    // Batching: 32 findUnique in one Promise.all (a GraphQL resolver's fan-out), over users that exist.
    const usernames = Array.from({ length: BATCH }, (_, i) => `bench-batch-${i}`);
    const primary = registry.regional(group.primary.id);
    for (const username of usernames) await primary.user.upsert({ where: { username }, create: { username, email: `${username}@example.com`, passwordHash: 'x' }, update: {} });
    for (const replica of group.replicas) {
      for (let i = 0; (await registry.regional(replica.id).user.count({ where: { username: { in: usernames } } })) < BATCH; i++) {
        if (i > 100) throw new Error(`${replica.id} did not replay the bench users`);
        await sleep(100);
      }
    }
    const fanOut = (client: () => RegionalPrismaClient): Reader => () => Promise.all(usernames.map((username) => client().user.findUnique({ where: { username } })));
    const batchReaders: Record<string, Reader> = {
      direct: fanOut(() => registry.regional(group.replicas[0].id)),
      router: fanOut(() => router.read('us-east')),
      extension: fanOut(() => peer),
      ...(pgpoolRegistry ? { pgpool: fanOut(() => pgpoolRegistry.regional(group.primary.id)) } : {}),
    };
    const batched = await interleaved(Object.keys(batchReaders), 'direct', ROUNDS, async (name) => (await drive(batchReaders[name], ROUND_MS, undefined, 1)).qps * BATCH);
    console.log(
      `Promise.all of ${BATCH} findUnique, us-east: ` +
        Object.entries(batched).map(([name, r]) => `${name} ${r.qps.toFixed(0)} q/s (ratio ${r.ratio.toFixed(3)}, min ${r.min.toFixed(3)}, max ${r.max.toFixed(3)})`).join('; ') +
        (pgpool ? '' : '; pgpool-II not installed (apt-get install pgpool2), skipped'),
    );
    metrics.push(ratioMetric(`Promise.all of ${BATCH} findUnique: router vs one replica's client`, batched.router, batched.direct, 0.9));
    metrics.push(ratioMetric(`Promise.all of ${BATCH} findUnique: @prisma/extension-read-replicas vs one replica's client`, batched.extension, batched.direct));
    if (batched.pgpool) metrics.push(ratioMetric(`Promise.all of ${BATCH} findUnique: pgpool-II vs one replica's client`, batched.pgpool, batched.direct));

    const peerReaders: Record<string, Reader> = { extension: () => peer.user.findFirst(lookup), router: () => router.read('us-east').user.findFirst(lookup) };
    const peerVsOurs = await interleaved(['extension', 'router'], 'extension', ROUNDS, async (name) => (await drive(peerReaders[name], ROUND_MS)).qps);
    console.log(
      `read throughput, us-east (2 replicas): @prisma/extension-read-replicas ${peerVsOurs.extension.qps.toFixed(0)} q/s, ` +
        `router ${peerVsOurs.router.qps.toFixed(0)} q/s, ratio ${peerVsOurs.router.ratio.toFixed(3)} (target >= 1)`,
    );
    metrics.push(ratioMetric('us-east reads vs @prisma/extension-read-replicas', peerVsOurs.router, peerVsOurs.extension, 1));

    const killMidRun = async (read: Reader) => {
      let killed: Promise<void> | null = null;
      const result = await drive(read, KILL_RUN_MS, (elapsed) => {
        if (elapsed >= KILL_AT_MS) killed ??= killServer(chaosOptions, VICTIM);
      });
      await killed;
      await startServer(chaosOptions, VICTIM);
      for (let i = 0; i < 100 && !(await monitor.runRound(), monitor.health(VICTIM).isHealthy); i++) await sleep(200);
      return result;
    };
    const peerKill = await killMidRun(peerReaders.extension);
    router.resetRoutingMetrics();
    const ourKill = await killMidRun(peerReaders.router);
    console.log(
      `${VICTIM} killed after ${KILL_AT_MS} ms of a ${KILL_RUN_MS} ms read run: failed reads ` +
        `@prisma/extension-read-replicas ${peerKill.failed}, router ${ourKill.failed} (target 0; router retried ${router.routingMetrics().retries})`,
    );
    metrics.push({ label: `failed reads, ${VICTIM} killed mid-run (baseline: the extension)`, value: ourKill.failed, unit: 'reads', baseline: peerKill.failed, target: 0, pass: ourKill.failed === 0 });
    process.exitCode = metrics.some((m) => m.pass === false) ? 1 : 0;
    console.log(`BENCH_RESULT ${JSON.stringify({ name: 'router', metrics })}`);
  } finally {
    await monitor.onApplicationShutdown();
    await pgpoolRegistry?.onApplicationShutdown();
    await registry.onApplicationShutdown();
    await pgpool?.stop();
  }
}

runCompiled(__filename, main);
