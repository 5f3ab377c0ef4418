// One health round over 100 endpoints, 10 of them hung (a TCP server that accepts and never answers, as a
// SIGSTOPped PostgreSQL does): the round must end within the probe timeout plus 100 ms. Also prints the
// monitor's own CPU per endpoint per round, against the floor: the same live servers asked `SELECT 1` in
// parallel over open pg connections (most of either is the kernel's loopback socket work).
//
//   TOPOLOGY_FILE=<dir>/topology.json npx tsx bench/health-round.bench.ts
//   (or node --expose-gc --import tsx bench/health-round.bench.ts to also see the heap retained)
// The 90 live endpoints are distinct ids over the topology's real servers (the topology is built here, not
// parsed, so the same server may back several endpoints).
// Listed as: one health round over 100 endpoints with 10 hung, and the monitor's CPU per probe; takes about 40 s.
import 'reflect-metadata';
import { SchedulerRegistry } from '@nestjs/schedule';
import { ChildProcess, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { Client } from 'pg';
import { allEndpoints, DatabaseHealthMonitorService, type EndpointConfig, type EndpointRegistry, loadTopology, type ReplicationGroupConfig, type Topology, TopologyStateService } from '@regional-db/nestjs';
import { InstanceIdentity } from '../libs/regional-db/src/database/instance-identity';
import { healthSettings } from '../libs/regional-db/src/health/health.settings';
import { runBench } from './support/run';
import { validateEnvironment } from '../src/config/environment';

const GROUPS = 10;
const PER_GROUP = 10;
const ROUNDS = 10;

async function main(): Promise<void> {
  const real = loadTopology(process.env);
  const servers = allEndpoints(real);
  const primaries = [...real.groups, ...(real.global ? [real.global] : [])].map((g) => g.primary);
  const settings = healthSettings(validateEnvironment(process.env));

  const hung = await startHungServer();
  const hungUrl = `postgresql://app:secret@127.0.0.1:${hung.port}/app`;

  const topology = benchTopology(real, primaries, servers, hungUrl);
  const monitor = new DatabaseHealthMonitorService(
    topology,
    new TopologyStateService(topology),
    { events: new EventEmitter() } as unknown as EndpointRegistry, // only its events are used, at module init
    new SchedulerRegistry(),
    settings,
    new InstanceIdentity(),
  );

  const first = await monitor.runRound();
  const times: number[] = [];
  const heapBefore = heapUsed();
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < ROUNDS; i++) {
    const started = performance.now();
    const round = await monitor.runRound();
    times.push(performance.now() - started);
    const down = round.probes.filter((p) => !p.reachable).length;
    if (down !== GROUPS) throw new Error(`expected ${GROUPS} unreachable endpoints, got ${down}: ${round.probes.filter((p) => !p.reachable && !p.endpointId.endsWith('-hung')).map((p) => `${p.endpointId} ${p.error}`).join('; ')}`);
  }
  const cpu = process.cpuUsage(cpuBefore);
  const heapAfter = heapUsed();
  const perEndpointRound = ROUNDS * GROUPS * PER_GROUP;
  const loop = { user: cpu.user / perEndpointRound, system: cpu.system / perEndpointRound };

  const liveUrls = allEndpoints(topology).filter((e) => e.url !== hungUrl).map((e) => e.url);
  const floor = await parallelSelectCpu(liveUrls, ROUNDS, settings.probeTimeoutMs);
  await monitor.onApplicationShutdown();
  hung.process.kill();

  const sorted = [...times].sort((a, b) => a - b);
  const budget = settings.probeTimeoutMs + 100;
  const max = sorted[sorted.length - 1];
  console.log(`health round over ${GROUPS * PER_GROUP} endpoints (${GROUPS} hung), probe timeout ${settings.probeTimeoutMs} ms, ${servers.length} real servers`);
  console.log(`  first round (opening ${GROUPS * PER_GROUP} probe connections): ${first.durationMs} ms`);
  console.log(`  next ${ROUNDS} rounds: median ${sorted[ROUNDS >> 1].toFixed(0)} ms, max ${max.toFixed(0)} ms`);
  console.log(`  max round / probe timeout = ${(max / settings.probeTimeoutMs).toFixed(3)} (budget timeout + 100 ms = ${budget} ms: ${max <= budget ? 'met' : 'MISSED'})`);
  const total = (c: { user: number; system: number }) => c.user + c.system;
  const show = (c: { user: number; system: number }) => `${total(c).toFixed(0)} µs (user ${c.user.toFixed(0)}, kernel ${c.system.toFixed(0)})`;
  console.log(`  CPU per endpoint per round, hung ones' reconnects included: ${show(loop)}`);
  console.log(`  floor, one parallel SELECT 1 per live endpoint at the same pace: ${show(floor)}; ratio ${(total(loop) / total(floor)).toFixed(2)}x`);
  const collected = typeof (globalThis as { gc?: unknown }).gc === 'function';
  console.log(`  heap growth over ${ROUNDS} rounds: ${((heapAfter - heapBefore) / 1e6).toFixed(2)} MB${collected ? ' (after GC)' : ' (no GC forced: run with node --expose-gc --import tsx to see retained growth)'}`);
  const metrics = [
    { label: `max round, ${GROUPS * PER_GROUP} endpoints (${GROUPS} hung)`, value: Math.round(max), unit: 'ms', target: budget, pass: max <= budget },
    { label: 'median round', value: Math.round(sorted[ROUNDS >> 1]), unit: 'ms' },
    { label: 'CPU per endpoint per round (baseline: parallel SELECT 1)', value: Math.round(total(loop)), unit: 'µs', baseline: Math.round(total(floor)), ratio: total(loop) / total(floor) },
  ];
  console.log(`BENCH_RESULT ${JSON.stringify({ name: 'health-round', metrics })}`);
  if (max > budget) process.exitCode = 1;
}

function heapUsed(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

/**
 * A server that completes the TCP handshake and never answers, in its own process so that accepting
 * connections is not counted as the monitor's CPU.
 */
async function startHungServer(): Promise<{ port: number; process: ChildProcess }> {
  const code = `require('net').createServer((s) => s.on('error', () => {})).listen(0, '127.0.0.1', function () { console.log(this.address().port) })`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (chunk: Buffer) => resolve(Number(String(chunk).trim())));
    child.once('exit', (status) => reject(new Error(`hung server exited (${status})`)));
  });
  return { port, process: child };
}

/** 10 groups: a real primary, 8 replicas over the real servers, 1 hung endpoint. */
function benchTopology(real: Topology, primaries: EndpointConfig[], servers: EndpointConfig[], hungUrl: string): Topology {
  const groups: ReplicationGroupConfig[] = [];
  for (let g = 0; g < GROUPS; g++) {
    const name = `bench-${g}`;
    const endpoint = (id: string, url: string, configuredRole: 'primary' | 'replica'): EndpointConfig => ({
      id, group: name, region: real.regions[0].name, url, adminUrl: url, configuredRole, roles: configuredRole === 'primary' ? [] : ['read'], priority: 1,
    });
    const replicas = Array.from({ length: PER_GROUP - 2 }, (_, r) => endpoint(`${name}-replica-${r}`, servers[(g + r) % servers.length].url, 'replica'));
    replicas.push(endpoint(`${name}-hung`, hungUrl, 'replica'));
    groups.push({
      ...real.groups[0],
      name,
      healthIntervalMs: 30_000,
      primary: endpoint(`${name}-primary`, primaries[g % primaries.length].url, 'primary'),
      replicas,
    });
  }
  return { ...real, groups, global: null };
}

/**
 * CPU per endpoint of a round of `SELECT 1` on every URL in parallel over open connections, one round every
 * `everyMs` as the monitor's (waking servers that went idle costs more than a tight loop would show).
 */
async function parallelSelectCpu(urls: string[], rounds: number, everyMs: number): Promise<{ user: number; system: number }> {
  const clients = urls.map((url) => {
    const client = new Client({ connectionString: url });
    client.on('error', () => undefined); // a server ending the session must not kill the bench
    return client;
  });
  await Promise.all(clients.map((c) => c.connect()));
  await Promise.all(clients.map((c) => c.query('SELECT 1')));
  const sum = { user: 0, system: 0 };
  for (let i = 0; i < rounds; i++) {
    await new Promise((r) => setTimeout(r, everyMs));
    const before = process.cpuUsage();
    await Promise.all(clients.map((c) => c.query('SELECT 1')));
    const cpu = process.cpuUsage(before);
    sum.user += cpu.user;
    sum.system += cpu.system;
  }
  await Promise.all(clients.map((c) => c.end()));
  return { user: sum.user / (rounds * urls.length), system: sum.system / (rounds * urls.length) };
}

runBench(main);
