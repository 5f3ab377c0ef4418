// Router benchmarks against a running topology (TOPOLOGY_FILE, e.g. from `npx tsx scripts/topology.ts up`):
//  1. the routing decision alone (selector, 10 endpoints), median ns;
//  2. router overhead: `router.read()` vs the same Prisma query on the endpoint's own client, same endpoint
//     (eu-west has one replica), same concurrency, interleaved rounds; throughput ratio and CPU µs per query;
//  3. side by side with @prisma/extension-read-replicas on us-east (two replicas): read throughput, and failed
//     reads while one replica is killed mid-run (the replica is restarted after each run).
// Services are constructed by hand: tsx emits no decorator metadata for Nest's injector.
// Run: TOPOLOGY_FILE=/path/topology.json npx tsx bench/router.bench.ts
import { SchedulerRegistry } from '@nestjs/schedule';
import { readReplicas } from '@prisma/extension-read-replicas';
import { dirname } from 'node:path';
import { loadTopologyFile } from '../src/config/topology.loader';
import type { Topology } from '../src/config/topology.types';
import type { RegionalPrismaClient } from '../src/database/endpoint-connection';
import { InstanceIdentity } from '../src/database/instance-identity';
import { EndpointRegistry } from '../src/database/endpoint-registry';
import { DatabaseHealthMonitorService } from '../src/health/database-health-monitor.service';
import { healthSettings } from '../src/health/health.settings';
import { ConnectionRouterService } from '../src/router/connection-router.service';
import { TopologyStateService } from '../src/topology-state/topology-state.service';
import { killServer, startServer } from '../tools/topology/local-topology';
import { selectorBench } from './router-selector.bench';
import { runBench } from './support/run';
import { validateEnvironment } from '../src/config/environment';
import { configFrom } from '../src/config/settings.module';
import { APP_PRISMA_CLIENTS } from '../src/database/prisma-clients';

const CONCURRENCY = 8;
const ROUNDS = 20;
const ROUND_MS = 400;
const KILL_RUN_MS = 3_000;
const KILL_AT_MS = 1_000;
const VICTIM = 'us-east-replica-1';

type Reader = () => Promise<unknown>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Queries per second of `read` at `CONCURRENCY` for `ms`, and the failures seen meanwhile. */
async function drive(read: Reader, ms: number, onTick?: (elapsed: number) => void): Promise<{ qps: number; failed: number }> {
  let done = 0;
  let failed = 0;
  const started = Date.now();
  const end = started + ms;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
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

/**
 * Throughput of `candidate` over `baseline`: pairs of rounds in alternating order, and the geometric mean of the
 * per-pair ratios, so both drift and the measurable advantage of running second in a pair cancel out.
 */
async function ratio(baseline: Reader, candidate: Reader): Promise<{ ratio: number; baselineQps: number; candidateQps: number }> {
  await drive(baseline, ROUND_MS);
  await drive(candidate, ROUND_MS);
  const ratios: number[] = [];
  let b = 0;
  let c = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const first = round % 2 === 0 ? baseline : candidate;
    const x = (await drive(first, ROUND_MS)).qps;
    const y = (await drive(first === baseline ? candidate : baseline, ROUND_MS)).qps;
    const [bq, cq] = first === baseline ? [x, y] : [y, x];
    b += bq;
    c += cq;
    ratios.push(cq / bq);
  }
  const geometricMean = Math.exp(ratios.reduce((sum, r) => sum + Math.log(r), 0) / ratios.length);
  return { ratio: geometricMean, baselineQps: b / ROUNDS, candidateQps: c / ROUNDS };
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
  const instant = { user: { findFirst: (args: unknown) => Promise.resolve(args) } };
  const registry = { get: () => ({ client: instant }) } as unknown as EndpointRegistry;
  const router = new ConnectionRouterService(topology, registry, state, monitor, configFrom(process.env));
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

async function main(): Promise<void> {
  const file = process.env.TOPOLOGY_FILE;
  if (!file) throw new Error('set TOPOLOGY_FILE to a running topology (npx tsx scripts/topology.ts up ...)');
  const topology = loadTopologyFile(file);
  const chaosOptions = { dir: dirname(file), log: () => undefined };
  const registry = new EndpointRegistry(topology, new InstanceIdentity(), APP_PRISMA_CLIENTS);
  const state = new TopologyStateService(topology);
  const monitor = new DatabaseHealthMonitorService(topology, state, registry, new SchedulerRegistry(), healthSettings(validateEnvironment(process.env)), new InstanceIdentity());
  await monitor.onModuleInit();
  const router = new ConnectionRouterService(topology, registry, state, monitor, configFrom(process.env));
  const lookup = { where: { username: 'bench-nobody' } };
  const metrics: { label: string; value: number; unit: string; baseline?: number; ratio?: number; target?: number; pass?: boolean }[] = [];

  try {
    const selector = selectorBench();
    console.log(`selector, 10 endpoints: median ${selector.medianNs.toFixed(0)} ns per decision (target < 2000 ns)`);
    metrics.push({ label: 'selector decision, 10 endpoints (median)', value: Math.round(selector.medianNs), unit: 'ns', target: 2000, pass: selector.medianNs < 2000 });

    const workNs = await routingWorkNs(topology, state, monitor);
    console.log(`router's own work per query (instant endpoint): median ${(workNs / 1000).toFixed(2)} µs`);
    metrics.push({ label: "router's own work per query (instant endpoint)", value: Math.round(workNs) / 1000, unit: 'µs' });

    const direct = registry.regional('eu-west-replica-1');
    const overhead = await ratio(() => direct.user.findFirst(lookup), () => router.read('eu-west').user.findFirst(lookup));
    const [directCpu, routedCpu] = await cpuMedians([() => direct.user.findFirst(lookup), () => router.read('eu-west').user.findFirst(lookup)]);
    console.log(
      `router overhead, eu-west-replica-1, ${CONCURRENCY} in flight: direct ${overhead.baselineQps.toFixed(0)} q/s, router.read() ` +
        `${overhead.candidateQps.toFixed(0)} q/s, ratio ${overhead.ratio.toFixed(3)} (target >= 0.97); ` +
        `CPU per query ${directCpu.toFixed(1)} µs direct vs ${routedCpu.toFixed(1)} µs routed; ` +
        `the router's own work alone would give ${(directCpu / (directCpu + workNs / 1000)).toFixed(3)}`,
    );
    metrics.push(
      { label: 'router.read() vs direct client, eu-west-replica-1', value: Math.round(overhead.candidateQps), unit: 'q/s', baseline: Math.round(overhead.baselineQps), ratio: overhead.ratio, target: 0.97, pass: overhead.ratio >= 0.97 },
      { label: 'CPU per query, routed (baseline: direct)', value: Math.round(routedCpu * 10) / 10, unit: 'µs', baseline: Math.round(directCpu * 10) / 10, ratio: routedCpu / directCpu },
    );

    const group = topology.groups.find((g) => g.name === 'us-east')!;
    const peer = registry
      .regional(group.primary.id)
      .$extends(readReplicas({ replicas: group.replicas.map((r) => registry.regional(r.id)) as never })) as unknown as RegionalPrismaClient;
    const peerVsOurs = await ratio(() => peer.user.findFirst(lookup), () => router.read('us-east').user.findFirst(lookup));
    console.log(
      `read throughput, us-east (2 replicas): @prisma/extension-read-replicas ${peerVsOurs.baselineQps.toFixed(0)} q/s, ` +
        `router ${peerVsOurs.candidateQps.toFixed(0)} q/s, ratio ${peerVsOurs.ratio.toFixed(3)} (target >= 1)`,
    );
    metrics.push({ label: 'us-east reads vs @prisma/extension-read-replicas', value: Math.round(peerVsOurs.candidateQps), unit: 'q/s', baseline: Math.round(peerVsOurs.baselineQps), ratio: peerVsOurs.ratio, target: 1, pass: peerVsOurs.ratio >= 1 });

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
    const peerKill = await killMidRun(() => peer.user.findFirst(lookup));
    router.resetRoutingMetrics();
    const ourKill = await killMidRun(() => router.read('us-east').user.findFirst(lookup));
    console.log(
      `${VICTIM} killed after ${KILL_AT_MS} ms of a ${KILL_RUN_MS} ms read run: failed reads ` +
        `@prisma/extension-read-replicas ${peerKill.failed}, router ${ourKill.failed} (target 0; router retried ${router.routingMetrics().retries})`,
    );
    metrics.push({ label: `failed reads, ${VICTIM} killed mid-run (baseline: the extension)`, value: ourKill.failed, unit: 'reads', baseline: peerKill.failed, target: 0, pass: ourKill.failed === 0 });
    console.log(`BENCH_RESULT ${JSON.stringify({ name: 'router', metrics })}`);
  } finally {
    await monitor.onApplicationShutdown();
    await registry.onApplicationShutdown();
  }
}

runBench(main);
