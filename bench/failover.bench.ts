// Recovery time with the default settings: kill -9 (and SIGSTOP) of a primary while 16 clients write through
// HTTP (`POST /api/posts`), to the first acknowledged write after the failure. Median of 5 runs each, on a
// small topology of its own; the app is one instance, as a user runs it.
// Listed as: recovery time after kill -9 and SIGSTOP of a primary under 16 HTTP writers, 5 runs each on its own topology (ports 27900+); takes about 4 min.
import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { AppModule } from '../src/app.module';
import { configureApp } from '../src/app.setup';
import { ConnectionRouterService, loadTopologyFile, migrateTopology, RegionalFailoverService, TopologyStateService } from '@regional-db/nestjs';
import * as local from '../tools/topology/local-topology';
import { runCompiled } from './support/compiled';

const RUNS = Number(process.env.BENCH_FAILOVER_RUNS ?? 5);
const WRITERS = Number(process.env.BENCH_FAILOVER_WRITERS ?? 16);
const PRIMARY = 'us-east-primary';

/** `writers` loops posting as fast as they can (5 ms pause after a failure); each acknowledgement goes to the parent. */
const WRITER_LOOP = `
const { parentPort, workerData: { base, token, tag, writers } } = require('node:worker_threads');
let running = true;
let next = 0;
parentPort.on('message', () => (running = false));
Promise.all(Array.from({ length: writers }, async () => {
  while (running) {
    const seq = next++;
    const started = Date.now();
    const ok = await fetch(base + '/api/posts', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token },
      body: JSON.stringify({ content: tag + '-' + seq }),
    }).then(async (r) => (await r.arrayBuffer(), r.status === 201), () => false);
    if (ok) parentPort.postMessage({ seq, started, at: Date.now() });
    else await new Promise((r) => setTimeout(r, 5));
  }
})).then(() => process.exit(0));
`;

/** A us-east user's bearer token, through the real registration and login routes. */
async function userToken(base: string): Promise<string> {
  const handle = `bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const password = 'Bench-failover-7';
  const json = { 'content-type': 'application/json', 'x-region': 'us-east' };
  const registered = await fetch(`${base}/api/users`, { method: 'POST', headers: json, body: JSON.stringify({ handle, email: `${handle}@bench.test`, password }) });
  if (registered.status !== 201) throw new Error(`registration: ${registered.status} ${await registered.text()}`);
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: json, body: JSON.stringify({ handle, password }) });
  return ((await login.json()) as { accessToken: string }).accessToken;
}

interface Run {
  detectionMs: number;
  selectionMs: number;
  switchMs: number;
  promotionMs: number;
  rerouteMs: number;
  firstWriteMs: number;
  lostWrites: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function once(mode: 'kill' | 'freeze', sync: boolean): Promise<Run> {
  const options = { dir: join(process.cwd(), '.local/bench-failover'), portBase: Number(process.env.BENCH_FAILOVER_PORT_BASE ?? 27900), small: true, sync: sync ? ['us-east'] : [], log: () => undefined };
  await local.down(options);
  await local.up(options);
  const topology = loadTopologyFile(local.topologyFilePath(options));
  await migrateTopology(topology, process.cwd(), () => undefined);
  delete process.env.REDIS_URL; // one instance deciding alone: what is measured is detection and promotion
  process.env.LOG_LEVEL ??= 'warn'; // a line per acknowledged request would measure the log pipe
  const app: INestApplication = await NestFactory.create(AppModule.forRoot({ topology }), { logger: ['error'] });
  configureApp(app);
  await app.listen(0, '127.0.0.1');
  const base = await app.getUrl();
  const token = await userToken(base);
  const state = app.get(TopologyStateService);
  const tag = `bench-${Date.now()}`;
  // The clients run in a thread of their own, as clients of a real service run elsewhere: their retries must
  // not compete with the service for its own event loop.
  const clients = new Worker(WRITER_LOOP, { eval: true, workerData: { base, token, tag, writers: WRITERS } });
  const acked: { seq: number; started: number; at: number }[] = [];
  clients.on('message', (ack: { seq: number; started: number; at: number }) => acked.push(ack));
  const stopped = new Promise((resolve) => clients.once('exit', resolve));
  await new Promise((r) => setTimeout(r, 1_000));
  const failedAt = Date.now();
  await (mode === 'kill' ? local.killServer(options, PRIMARY) : local.freezeServer(options, PRIMARY));
  const failedFor = Date.now(); // writes started from here on cannot land on the old primary
  const deadline = Date.now() + 60_000;
  while (state.primaryOf('us-east') === PRIMARY && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  const switchedAt = Date.now();
  while (!acked.some((a) => a.started >= failedFor && a.at > switchedAt) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  clients.postMessage('stop');
  await stopped;
  const firstWrite = acked.find((a) => a.started >= failedFor)?.at ?? NaN;
  const failovers = app.get(RegionalFailoverService);
  while (failovers.isRunning('us-east') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  const [record] = await failovers.history(1);
  const promoted = state.primaryOf('us-east')!;
  const url = topology.groups[0].replicas.find((r) => r.id === promoted)!.url;
  const { Client } = await import('pg');
  const client = new Client({ connectionString: url });
  client.on('error', () => undefined); // a server ending the session must not kill the process
  await client.connect();
  const rows = (await client.query<{ content: string }>('SELECT content FROM posts WHERE content LIKE $1', [`${tag}-%`])).rows;
  await client.end();
  const present = new Set(rows.map((r) => r.content));
  const lostWrites = acked.filter((a) => !present.has(`${tag}-${a.seq}`)).length;
  if (mode === 'freeze') await local.thawServer(options, PRIMARY);
  await app.close();
  await local.down(options);
  return {
    detectionMs: Date.parse(record.startedAt) - failedAt,
    switchMs: switchedAt - failedAt,
    selectionMs: record.durations.selectionMs ?? NaN,
    promotionMs: record.durations.promotionMs ?? NaN,
    rerouteMs: record.durations.rerouteMs ?? NaN,
    firstWriteMs: firstWrite - failedAt,
    lostWrites,
  };
}

async function main(): Promise<void> {
  const metrics: { label: string; value: number; unit: string; target?: number; pass?: boolean }[] = [];
  for (const [mode, target] of [['kill', 1_000], ['freeze', 4_000]] as const) {
    const runs: Run[] = [];
    for (let i = 0; i < RUNS; i++) {
      const run = await once(mode, false);
      runs.push(run);
      console.log(`${mode} run ${i + 1}/${RUNS} (${WRITERS} HTTP writers): detection ${run.detectionMs} ms, selection ${run.selectionMs} ms, promotion ${run.promotionMs} ms, reroute ${run.rerouteMs} ms, writes switched ${run.switchMs} ms, first write ${run.firstWriteMs} ms after the failure, ${run.lostWrites} acknowledged writes lost (asynchronous)`);
    }
    const first = median(runs.map((r) => r.firstWriteMs));
    metrics.push(
      { label: `${mode}: failure to first acknowledged write, ${WRITERS} HTTP writers (median of ${RUNS})`, value: first, unit: 'ms', target, pass: first <= target },
      { label: `${mode}: detection (median)`, value: median(runs.map((r) => r.detectionMs)), unit: 'ms' },
      { label: `${mode}: promotion (median)`, value: median(runs.map((r) => r.promotionMs)), unit: 'ms' },
      { label: `${mode}: reroute (median)`, value: median(runs.map((r) => r.rerouteMs)), unit: 'ms' },
    );
  }
  const sync = await once('kill', true);
  console.log(`kill with synchronous replication: first write ${sync.firstWriteMs} ms after the failure, ${sync.lostWrites} acknowledged writes lost`);
  metrics.push({ label: 'kill, synchronous replication: acknowledged writes lost', value: sync.lostWrites, unit: 'writes', target: 0, pass: sync.lostWrites === 0 });
  for (const m of metrics) console.log(`${m.label.padEnd(70)} ${String(m.value).padStart(7)} ${m.unit}${m.target !== undefined ? `  (target ${m.target}: ${m.pass ? 'met' : 'MISSED'})` : ''}`);
  console.log(`BENCH_RESULT ${JSON.stringify({ name: 'failover', metrics })}`);
}

runCompiled(__filename, main);
