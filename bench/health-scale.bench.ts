// Health at scale: 10, 100 and 1,000 endpoints per instance (groups of 10, many entries per local server), each
// size in a process of its own so its RSS is its own. Cold start: every endpoint must be healthy after the first
// two rounds (probe connections opened HEALTH_CONNECT_CONCURRENCY at a time, each bounded by
// HEALTH_CONNECT_TIMEOUT_MS; the probe timeout counts the server's answer only). Then steady rounds on the open
// connections: round time, CPU per endpoint per round, RSS.
// Listed as: health probes at 10, 100 and 1,000 endpoints: cold start, round time, CPU per endpoint, RSS; takes about 3 min.
//
//   TOPOLOGY_FILE=<dir>/topology.json npx tsx bench/health-scale.bench.ts
import 'reflect-metadata';
import { SchedulerRegistry } from '@nestjs/schedule';
import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { allEndpoints, DatabaseHealthMonitorService, type EndpointConfig, type EndpointRegistry, loadTopology, type ReplicationGroupConfig, type Topology, TopologyStateService } from '@regional-db/nestjs';
import { InstanceIdentity } from '../libs/regional-db/src/database/instance-identity';
import { healthSettings } from '../libs/regional-db/src/health/health.settings';
import { median } from './support/rounds';
import { runBench } from './support/run';
import { validateEnvironment } from '../src/config/environment';

const SIZES = [10, 100, 1_000];
const PER_GROUP = 10;
const STEADY_ROUNDS = 5;
const RESULT = 'SCALE_RESULT ';

interface SizeResult {
  endpoints: number;
  servers: number;
  firstRoundMs: number;
  secondRoundMs: number;
  healthyAfterTwo: number;
  steadyMedianMs: number;
  steadyMaxMs: number;
  cpuUsPerEndpointRound: number;
  rssMiB: number;
}

/** One size, in this process: what the parent prints. */
async function measure(size: number): Promise<SizeResult> {
  const real = loadTopology(process.env);
  const servers = allEndpoints(real);
  const topology = scaledTopology(real, servers, size);
  const monitor = new DatabaseHealthMonitorService(
    topology,
    new TopologyStateService(topology),
    { events: new EventEmitter() } as unknown as EndpointRegistry, // only its events are used, at module init
    new SchedulerRegistry(),
    healthSettings(validateEnvironment(process.env)),
    new InstanceIdentity(),
  );
  const ids = allEndpoints(topology).map((e) => e.id);
  try {
    const first = await monitor.runRound();
    const second = await monitor.runRound();
    const healthyAfterTwo = ids.filter((id) => monitor.health(id).isHealthy).length;
    const times: number[] = [];
    const cpuBefore = process.cpuUsage();
    for (let i = 0; i < STEADY_ROUNDS; i++) {
      const started = performance.now();
      await monitor.runRound();
      times.push(performance.now() - started);
    }
    const cpu = process.cpuUsage(cpuBefore);
    return {
      endpoints: ids.length,
      servers: servers.length,
      firstRoundMs: first.durationMs,
      secondRoundMs: second.durationMs,
      healthyAfterTwo,
      steadyMedianMs: Math.round(median(times)),
      steadyMaxMs: Math.round(Math.max(...times)),
      cpuUsPerEndpointRound: Math.round((cpu.user + cpu.system) / (STEADY_ROUNDS * ids.length)),
      rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
    };
  } finally {
    await monitor.onApplicationShutdown();
  }
}

/** `size` endpoints in groups of 10, their URLs the real servers' in turn (one server backs many entries). */
function scaledTopology(real: Topology, servers: EndpointConfig[], size: number): Topology {
  const groups: ReplicationGroupConfig[] = [];
  for (let g = 0; g * PER_GROUP < size; g++) {
    const name = `scale-${g}`;
    const endpoint = (n: number, configuredRole: 'primary' | 'replica'): EndpointConfig => {
      const url = servers[(g * PER_GROUP + n) % servers.length].url;
      const id = configuredRole === 'primary' ? `${name}-primary` : `${name}-replica-${n}`;
      return { id, group: name, region: real.regions[0].name, url, adminUrl: url, configuredRole, roles: configuredRole === 'primary' ? [] : ['read'], priority: 1 };
    };
    groups.push({ ...real.groups[0], name, healthIntervalMs: 30_000, primary: endpoint(0, 'primary'), replicas: Array.from({ length: PER_GROUP - 1 }, (_, r) => endpoint(r + 1, 'replica')) });
  }
  return { ...real, groups, global: null };
}

async function main(): Promise<void> {
  if (process.argv[2]) {
    console.log(`${RESULT}${JSON.stringify(await measure(Number(process.argv[2])))}`);
    return;
  }
  const settings = healthSettings(validateEnvironment(process.env));
  console.log(`probe timeout ${settings.probeTimeoutMs} ms, connect timeout ${settings.connectTimeoutMs} ms, ${settings.connectConcurrency} connections opened at once`);
  const results: SizeResult[] = [];
  for (const size of SIZES) {
    const child = spawnSync(process.execPath, [...process.execArgv, __filename, String(size)], { env: process.env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const line = child.stdout.split('\n').find((l) => l.startsWith(RESULT));
    if (!line) throw new Error(`size ${size}: no result (exit ${child.status}): ${child.stdout.slice(-500)}`);
    const r = JSON.parse(line.slice(RESULT.length)) as SizeResult;
    results.push(r);
    console.log(
      `${String(r.endpoints).padStart(5)} endpoints over ${r.servers} servers: cold rounds ${r.firstRoundMs} ms, ${r.secondRoundMs} ms, healthy after two ${r.healthyAfterTwo}/${r.endpoints}; ` +
        `steady round median ${r.steadyMedianMs} ms (max ${r.steadyMaxMs}), CPU ${r.cpuUsPerEndpointRound} µs per endpoint per round, RSS ${r.rssMiB} MiB`,
    );
  }
  const metrics = results.flatMap((r) => [
    { label: `${r.endpoints} endpoints: healthy after the first two rounds (cold start)`, value: r.healthyAfterTwo, unit: 'endpoints', target: r.endpoints, pass: r.healthyAfterTwo === r.endpoints },
    { label: `${r.endpoints} endpoints: first round (opening connections)`, value: r.firstRoundMs, unit: 'ms' },
    { label: `${r.endpoints} endpoints: steady round (median)`, value: r.steadyMedianMs, unit: 'ms' },
    { label: `${r.endpoints} endpoints: CPU per endpoint per round`, value: r.cpuUsPerEndpointRound, unit: 'µs' },
    { label: `${r.endpoints} endpoints: RSS`, value: r.rssMiB, unit: 'MiB' },
  ]);
  if (metrics.some((m) => m.pass === false)) process.exitCode = 1;
  console.log(`BENCH_RESULT ${JSON.stringify({ name: 'health-scale', metrics })}`);
}

runBench(main);
