// Nearest-replica routing under real latency: the fault proxy's latency model (in process, in front of the
// bench topology: ~1 ms RTT in a region, 80-150 ms between regions, as `topology up --latency`) and a caller
// in eu-west reading one global key. p50 of the router's choice (the eu-west replica) against a random
// endpoint of the global group for each read; the ratio is how many times faster nearest is (target >= 2x).
// Services are constructed by hand (tsx emits no decorator metadata).
// Run: TOPOLOGY_FILE=/path/topology.json npx tsx bench/latency.bench.ts
// Listed as: nearest-replica routing under modelled inter-region latency vs a random replica; takes about 1 min.
import { SchedulerRegistry } from '@nestjs/schedule';
import { ConnectionRouterService, DatabaseHealthMonitorService, EndpointRegistry, loadTopologyFile, TopologyStateService } from '@regional-db/nestjs';
import { InstanceIdentity } from '../libs/regional-db/src/database/instance-identity';
import { healthSettings } from '../libs/regional-db/src/health/health.settings';
import { measureGlobalReads, median } from '../test/support/global-read-latency';
import { startProxyFor, throughProxy } from '../test/support/proxied-topology';
import { runBench } from './support/run';
import { validateEnvironment } from '../src/config/environment';
import { APP_PRISMA_CLIENTS } from '../src/app-prisma-clients';

const REGION = 'eu-west';
const READS = 200;
const TARGET_RATIO = 2;
/** This bench's app instance, as the proxy knows it from the application_name of its connections. */
const INSTANCE = 'latency-bench-eu';

async function main(): Promise<void> {
  const direct = loadTopologyFile(process.env.TOPOLOGY_FILE!);
  const proxy = await startProxyFor(direct, true);
  proxy.setClientRegion(INSTANCE, REGION);
  const topology = throughProxy(direct, proxy);
  process.env.INSTANCE_ID = INSTANCE;
  const identity = new InstanceIdentity();
  const registry = new EndpointRegistry(topology, identity, APP_PRISMA_CLIENTS);
  const state = new TopologyStateService(topology);
  const monitor = new DatabaseHealthMonitorService(topology, state, registry, new SchedulerRegistry(), healthSettings(validateEnvironment(process.env)), identity);
  try {
    await monitor.onModuleInit();
    const router = new ConnectionRouterService(topology, registry, state, monitor, validateEnvironment(process.env));
    const result = await measureGlobalReads(router, registry, topology, REGION, READS);
    const [nearest, random] = [median(result.nearestMs), median(result.randomMs)];
    const ratio = random / nearest;
    const served = Object.entries(result.routed).map(([id, n]) => `${id} ${n}`).join(', ');
    console.log(`global reads from ${REGION} under the latency model, ${READS} each, interleaved:`);
    console.log(`  router's choice (nearest):  p50 ${nearest.toFixed(1)} ms, served by ${served}`);
    console.log(`  random endpoint of the group: p50 ${random.toFixed(1)} ms`);
    console.log(`  nearest is ${ratio.toFixed(1)}x faster (target >= ${TARGET_RATIO}x): ${ratio >= TARGET_RATIO ? 'PASS' : 'FAIL'}`);
    const metrics = [
      { label: `global read from ${REGION}, nearest replica p50 (baseline: random endpoint p50; ratio: how many times faster)`, value: Number(nearest.toFixed(2)), unit: 'ms', baseline: Number(random.toFixed(2)), ratio, target: TARGET_RATIO, pass: ratio >= TARGET_RATIO },
    ];
    console.log(`BENCH_RESULT ${JSON.stringify({ name: 'latency', metrics })}`);
    if (ratio < TARGET_RATIO) process.exitCode = 1;
  } finally {
    await monitor.onApplicationShutdown();
    await registry.onApplicationShutdown();
    await proxy.stop();
  }
}

runBench(main);
