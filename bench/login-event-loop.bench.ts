// Does hashing passwords stall the event loop? `/health/live` latency while 40 logins are in flight, through
// HTTP on one app instance, before (the old login: bcryptjs, cost 10, computed on the event loop) and after
// (scrypt from node:crypto in libuv's thread pool, N = 2^15). "Before" is this same app with its hasher's
// verify swapped for the old one, so everything else is equal. Target: p99 at most 50 ms (a liveness probe
// with a 1 s timeout must never fail because of logins). The login clients and the probe run in worker threads
// of their own; a phase without logins shows what the machine itself adds at that moment.
// Listed as: /health/live latency while 40 logins are in flight, bcryptjs on the event loop vs scrypt in the thread pool; takes about 2 min.
import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import bcrypt from 'bcryptjs';
import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { AppModule } from '../src/app.module';
import { configureApp } from '../src/app.setup';
import { loadTopologyFile } from '@regional-db/nestjs';
import { PasswordHasher } from '../src/users/password-hasher';
import { runCompiled } from './support/compiled';

const IN_FLIGHT = 40;
const PHASE_MS = Number(process.env.BENCH_EVENT_LOOP_PHASE_MS ?? 8000);
const PROBE_EVERY_MS = 20;
/** Probes in the first second are not counted: the 40 logins all start at once, the steady state is the subject. */
const RAMP_UP_MS = 1000;
const TARGET_P99_MS = 50;
const PASSWORD = 'Bench-event-loop-7';

/**
 * For `durationMs`: `inFlight` login loops, or (`probe`) one `/health/live` probe every `probeEveryMs`, in a thread
 * of its own as a kubelet is, not slowed by the login clients' work; posts what it saw after the ramp-up.
 */
const CLIENTS = `
const { parentPort, workerData: { base, handle, password, probe: probing, inFlight, durationMs, probeEveryMs, rampUpMs } } = require('node:worker_threads');
const until = Date.now() + durationMs;
const probes = [];
const t0 = performance.now();
let logins = 0;
const login = async () => {
  while (Date.now() < until) {
    const ok = await fetch(base + '/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ handle, password }) })
      .then(async (r) => (await r.arrayBuffer(), r.status === 200), () => false);
    if (ok) logins++;
  }
};
const probe = async () => {
  while (Date.now() < until) {
    const started = performance.now();
    // A probe that fails (a connection dropped while the server stalled) counts with the time it took.
    await fetch(base + '/health/live').then((r) => r.arrayBuffer(), () => undefined);
    if (started - t0 >= rampUpMs) probes.push(performance.now() - started);
    await new Promise((done) => setTimeout(done, probeEveryMs));
  }
};
Promise.all(probing ? [probe()] : Array.from({ length: inFlight }, login)).then(() => parentPort.postMessage({ probes, logins }));
`;

interface Phase {
  p50: number;
  p99: number;
  max: number;
  loginsPerSecond: number;
  /** The app's own event-loop delay, p99 (perf_hooks): what the server did, apart from the machine's scheduling. */
  loopDelayP99: number;
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const round = (x: number) => Math.round(x * 10) / 10;

function clients(base: string, handle: string, probe: boolean, inFlight: number): Promise<{ probes: number[]; logins: number }> {
  return new Promise((resolve, reject) => {
    const workerData = { base, handle, password: PASSWORD, probe, inFlight, durationMs: PHASE_MS, probeEveryMs: PROBE_EVERY_MS, rampUpMs: RAMP_UP_MS };
    const worker = new Worker(CLIENTS, { eval: true, workerData });
    worker.once('error', reject);
    worker.once('message', (seen: { probes: number[]; logins: number }) => {
      void worker.terminate();
      resolve(seen);
    });
  });
}

async function runClients(base: string, handle: string, inFlight: number): Promise<Phase> {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  const rampedUp = setTimeout(() => loop.enable(), RAMP_UP_MS);
  const [{ probes }, { logins }] = await Promise.all([clients(base, handle, true, 0), clients(base, handle, false, inFlight)]);
  clearTimeout(rampedUp);
  loop.disable();
  return {
    p50: quantile(probes, 0.5),
    p99: quantile(probes, 0.99),
    max: Math.max(...probes),
    loginsPerSecond: logins / (PHASE_MS / 1000),
    loopDelayP99: loop.percentile(99) / 1e6,
  };
}

const describePhase = (p: Phase) =>
  `/health/live p50 ${round(p.p50)} ms, p99 ${round(p.p99)} ms, max ${round(p.max)} ms; event-loop delay p99 ${round(p.loopDelayP99)} ms; ${round(p.loginsPerSecond)} logins/s`;

async function main(): Promise<void> {
  process.env.REDIS_PREFIX ??= `event-loop-bench-${randomUUID().slice(0, 8)}:`;
  process.env.FAILOVER_AUTOMATIC = 'false';
  process.env.LOG_LEVEL ??= 'warn';
  // Many logins from one address: the throttle is not what this measures.
  process.env.THROTTLE_LOGIN_PER_ADDRESS = '1000000';
  const app: INestApplication = await NestFactory.create(AppModule.forRoot({ topology: loadTopologyFile(process.env.TOPOLOGY_FILE!) }), { logger: ['error', 'warn'] });
  configureApp(app);
  await app.listen(0, '127.0.0.1');
  const base = await app.getUrl();
  try {
    const handle = `bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const registered = await fetch(`${base}/api/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ handle, email: `${handle}@bench.test`, password: PASSWORD }) });
    if (registered.status !== 201) throw new Error(`registration: ${registered.status} ${await registered.text()}`);

    // After first: the stalls of "before" make health probes time out, and their aftermath must not count here.
    // The machine's own noise floor at this moment: probes alone, no login.
    const idle = await runClients(base, handle, 0);
    const after = await runClients(base, handle, IN_FLIGHT);
    // Before: the login as it was, bcryptjs at its old default cost on the event loop.
    const hasher = app.get(PasswordHasher);
    const oldHash = bcrypt.hashSync(PASSWORD, 10);
    hasher.verify = async (password) => ({ valid: await bcrypt.compare(password, oldHash), rehash: false });
    const before = await runClients(base, handle, IN_FLIGHT);

    const pass = after.p99 <= TARGET_P99_MS;
    console.log(`/health/live with ${IN_FLIGHT} logins in flight for ${PHASE_MS / 1000} s each (the first ${RAMP_UP_MS / 1000} s not counted):`);
    console.log(`  no logins (the machine's noise): ${describePhase(idle)}`);
    console.log(`  before (bcryptjs cost 10, event loop): ${describePhase(before)}`);
    console.log(`  after (scrypt N=2^${hasher.params.logN}, thread pool): ${describePhase(after)}`);
    console.log(`  p99 at most ${TARGET_P99_MS} ms: ${pass ? 'PASS' : 'FAIL'}`);
    const metrics = [
      { label: `/health/live p99 with ${IN_FLIGHT} logins in flight (baseline: bcryptjs on the event loop)`, value: round(after.p99), unit: 'ms', baseline: round(before.p99), ratio: after.p99 / before.p99, target: TARGET_P99_MS, pass },
      { label: '/health/live median, same load (baseline: bcryptjs)', value: round(after.p50), unit: 'ms', baseline: round(before.p50), ratio: after.p50 / before.p50 },
      { label: 'app event-loop delay p99, same load (baseline: bcryptjs)', value: round(after.loopDelayP99), unit: 'ms', baseline: round(before.loopDelayP99), ratio: after.loopDelayP99 / before.loopDelayP99 },
      { label: '/health/live p99 with no login at all (the machine at that moment)', value: round(idle.p99), unit: 'ms' },
      { label: 'logins per second, same load (baseline: bcryptjs)', value: round(after.loginsPerSecond), unit: 'logins/s', baseline: round(before.loginsPerSecond), ratio: after.loginsPerSecond / before.loginsPerSecond },
    ];
    console.log(`BENCH_RESULT ${JSON.stringify({ name: 'login-event-loop', metrics })}`);
    if (!pass) process.exitCode = 1;
  } finally {
    await app.close();
  }
}

runCompiled(__filename, main);
