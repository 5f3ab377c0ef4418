// The service as its own process (the built `dist` entry point, as `npm run start:prod` runs it) under HTTP
// load while its us-east primary's postmaster is SIGKILLed alone (an OOM kill: backends end their sessions
// with 57P01 "unexpected postmaster exit") or with its whole process tree, 20 times: it must never exit.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import * as local from '../tools/topology/local-topology';
import { eventually } from './support/app';
import { failoverTopologyOptions, freshFailoverTopology } from './support/failover-topology';
import { suitePrefix } from './support/suite';

const KILLS = 20;
const BUILD_DIR = join(process.cwd(), '.local/process-survival-build');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Requests in a loop until stopped; counts answers by status class, and transport errors. */
class HttpLoad {
  readonly counts = new Map<string, number>();
  private running = true;
  private readonly loops: Promise<void>[];

  constructor(base: string, makers: (() => { path: string; init?: RequestInit })[]) {
    this.loops = makers.map(async (make) => {
      while (this.running) {
        const { path, init } = make();
        const key = await fetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(20_000) })
          .then(async (r) => (await r.arrayBuffer(), `${Math.floor(r.status / 100)}xx`))
          .catch(() => 'transport error');
        this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
        if (key !== '2xx') await new Promise((r) => setTimeout(r, 20));
      }
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }
}

describe('the service process under repeated primary crashes', () => {
  const options = failoverTopologyOptions([], { name: 'survival-topology', portOffset: 700 });
  let service: ChildProcess | null = null;
  let exited: string | null = null;
  let output = '';

  beforeAll(async () => {
    execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--outDir', BUILD_DIR], { stdio: 'inherit' });
    await freshFailoverTopology(options);
  }, 300_000);

  afterAll(async () => {
    service?.kill('SIGKILL');
    await local.down(options);
  });

  it(`stays up through ${KILLS} SIGKILLs of the primary (postmaster alone, and whole tree) under load`, async () => {
    const port = await freePort();
    service = spawn(process.execPath, ['--experimental-vm-modules', join(BUILD_DIR, 'src/main.js')], {
      env: {
        ...process.env,
        TOPOLOGY_FILE: local.topologyFilePath(options),
        PORT: String(port),
        JWT_SECRET: randomUUID() + randomUUID(),
        REDIS_PREFIX: suitePrefix('survival'),
        // The same primary comes back each time: this is about surviving the crash, not failing over.
        FAILOVER_AUTOMATIC: 'false',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    service.stdout!.on('data', (d) => (output = (output + d).slice(-20_000)));
    service.stderr!.on('data', (d) => (output = (output + d).slice(-20_000)));
    service.on('exit', (code, signal) => (exited = `exit code ${code}, signal ${signal}`));
    // A runner stopped mid-test (Ctrl-C, CI timeout) must not leave the service behind.
    const child = service;
    process.once('exit', () => child.kill('SIGKILL'));
    const base = `http://127.0.0.1:${port}`;
    await eventually(async () => (await fetch(`${base}/health/live`).catch(() => null))?.ok, 60_000, 200);

    // Posts are written with their author included: Prisma runs that as a transaction on a checked-out
    // connection, where a server ending the session between two statements reaches the client itself.
    const json = { 'content-type': 'application/json' };
    const handle = `s${randomUUID().replace(/-/g, '').slice(0, 20)}`;
    const password = 'Survive-the-crash-7';
    const registered = await fetch(`${base}/api/users`, { method: 'POST', headers: json, body: JSON.stringify({ handle, email: `${handle}@survival.test`, password }) });
    expect(registered.status).toBe(201);
    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: json, body: JSON.stringify({ handle, password }) });
    const { accessToken } = (await login.json()) as { accessToken: string };
    let n = 0;
    const post = () => ({
      path: '/api/posts',
      init: { method: 'POST', headers: { ...json, authorization: `Bearer ${accessToken}` }, body: JSON.stringify({ content: `survival ${n++}` }) },
    });
    const load = new HttpLoad(base, [
      post,
      post,
      post,
      post,
      () => ({ path: '/api/feed' }),
      () => ({ path: '/api/feed' }),
      () => ({ path: '/health/ready' }),
      () => ({ path: '/api/geo/write', init: { method: 'POST', headers: { ...json, authorization: `Bearer ${accessToken}` }, body: JSON.stringify({ key: `k${n++}`, value: 'v' }) } }),
    ]);
    try {
      for (let i = 0; i < KILLS; i++) {
        const postmasterOnly = i % 2 === 0;
        await local.killServer(options, 'us-east-primary', { postmasterOnly });
        await new Promise((r) => setTimeout(r, 200));
        await local.startServer(options, 'us-east-primary');
        // Writes to us-east succeed again before the next kill: the service reconnected on its own.
        const before = load.counts.get('2xx') ?? 0;
        await eventually(async () => exited !== null || (load.counts.get('2xx') ?? 0) > before + 5, 60_000, 50);
        if (exited) throw new Error(`the service exited after kill ${i + 1} (${postmasterOnly ? 'postmaster alone' : 'whole tree'}): ${exited}\n${output}`);
      }
    } finally {
      await load.stop();
    }
    console.log(`after ${KILLS} kills: ${JSON.stringify(Object.fromEntries(load.counts))}`);
    expect(exited).toBeNull();
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    expect(load.counts.get('transport error') ?? 0).toBe(0);
  }, 900_000);
});
