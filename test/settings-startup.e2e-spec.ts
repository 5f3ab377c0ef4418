// The built service started with bad settings: it must stop at once with one line naming the setting, before
// connecting to anything. Its Redis and PostgreSQL here are plain TCP listeners that count who connects.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, Server, Socket } from 'node:net';
import { join } from 'node:path';
import { eventually } from './support/app';

const BUILD_DIR = join(process.cwd(), '.local/settings-startup-build');
// Past the offsets the topology suites use (100-800).
const BASE = Number(process.env.TEST_TOPOLOGY_PORT_BASE ?? 26000) + 900;

/** A listener that accepts and holds connections, counting them. */
class Listener {
  connections = 0;
  private readonly sockets = new Set<Socket>();
  private readonly server: Server = createServer((socket) => {
    this.connections++;
    this.sockets.add(socket);
    socket.on('error', () => undefined).on('close', () => this.sockets.delete(socket));
  });

  constructor(readonly port: number) {}

  start(): Promise<void> {
    return new Promise((resolve, reject) => this.server.once('error', reject).listen(this.port, '127.0.0.1', () => resolve()));
  }

  stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

interface Run {
  code: number | null;
  output: string;
}

describe('start-up with bad settings', () => {
  const redis = new Listener(BASE);
  const postgres = new Listener(BASE + 1);
  let running: ChildProcess | undefined;

  const start = (settings: Record<string, string>): ChildProcess =>
    spawn(process.execPath, ['--experimental-vm-modules', join(BUILD_DIR, 'src/main.js')], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        JWT_SECRET: randomUUID() + randomUUID(),
        REDIS_URL: `redis://127.0.0.1:${redis.port}/0`,
        REDIS_PREFIX: `settings-${randomUUID().slice(0, 8)}:`,
        DB_US_EAST_URL: `postgresql://app:app@127.0.0.1:${postgres.port}/app`,
        PORT: '0',
        ...settings,
      },
    });

  const run = (settings: Record<string, string>): Promise<Run> =>
    new Promise((resolve) => {
      const child = start(settings);
      let output = '';
      child.stdout!.on('data', (chunk) => (output += chunk));
      child.stderr!.on('data', (chunk) => (output += chunk));
      child.on('close', (code) => resolve({ code, output }));
    });

  beforeAll(async () => {
    execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--outDir', BUILD_DIR], { stdio: 'inherit' });
    await Promise.all([redis.start(), postgres.start()]);
  }, 300_000);

  afterAll(async () => {
    running?.kill('SIGKILL');
    await Promise.all([redis.stop(), postgres.stop()]);
  });

  it.each([
    [{ PORT: 'abc' }, 'Invalid setting PORT: must be a whole number from 0 to 65535, got "abc"'],
    [{ HEALTH_PROBE_TIMEOUT_MS: 'fast', FAILOVER_AUTOMATIC: 'maybe' }, 'Invalid setting HEALTH_PROBE_TIMEOUT_MS: must be a whole number from 50 to 60000, got "fast" (also invalid: FAILOVER_AUTOMATIC)'],
    [{ REDIS_SENTINEL_NAME: 'mymaster' }, 'Invalid setting REDIS_SENTINELS: is required with REDIS_SENTINEL_NAME'],
    [{ DB_US_EAST_HEALTH_INTERVAL: 'often' }, /^Invalid database topology .*DB_US_EAST_HEALTH_INTERVAL/],
    // Checked while the providers are built (the file is read then): still before anything connects.
    [{ JWT_SECRET: '', JWT_SECRET_FILE: '/nonexistent/jwt-secret' }, 'Invalid setting JWT_SECRET_FILE: no such file: /nonexistent/jwt-secret'],
  ])('%j: exits non-zero with one line naming it, no stack trace, nothing connected', async (settings, message) => {
    const { code, output } = await run(settings);
    expect(code).not.toBe(0);
    const lines = output.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(output).not.toMatch(/^\s+at /m);
    expect({ redis: redis.connections, postgres: postgres.connections }).toEqual({ redis: 0, postgres: 0 });
  });

  it('migrations with a bad topology: one line naming the key, no stack trace', () => {
    const migrate = spawnSync(process.execPath, [join(BUILD_DIR, 'scripts/migrate.js')], {
      env: { PATH: process.env.PATH, TOPOLOGY_FILE: '/nonexistent/topology.json' },
      encoding: 'utf8',
    });
    expect(migrate.status).toBe(1);
    expect(migrate.stderr.trim().split('\n')).toEqual(['Invalid database topology (/nonexistent/topology.json): TOPOLOGY_FILE: cannot be read (ENOENT)']);
  });

  it('with good settings the same start does connect (the listeners would see a connection)', async () => {
    running = start({});
    await eventually(async () => redis.connections > 0 && postgres.connections > 0, 60_000);
    running.kill('SIGKILL');
  }, 120_000);
});
