// One Redis server per region on loopback (seed 001's regional caches): started by "up", stopped by "down".
// Throwaway caches: no persistence, bound to 127.0.0.1, files under <dir>/redis.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { sleep, StepLog, TopologyError } from './options';
import { isAlive, waitGone } from './processes';

/** Port offsets from the topology's port base, beside each region's PostgreSQL servers. */
export const CACHE_PORT_OFFSETS: Readonly<Record<string, number>> = { 'us-east': 15, 'eu-west': 25, 'asia-pacific': 35 };

const READY_TIMEOUT_MS = 5_000;

export interface RegionCache {
  region: string;
  port: number;
  url: string;
  pidFile: string;
}

const cacheDir = (dir: string) => join(dir, 'redis');

export function regionCache(dir: string, portBase: number, region: string): RegionCache {
  const offset = CACHE_PORT_OFFSETS[region];
  if (offset === undefined) throw new TopologyError(`no cache port for region "${region}"`);
  const port = portBase + offset;
  return { region, port, url: `redis://127.0.0.1:${port}`, pidFile: join(cacheDir(dir), `redis-${region}.pid`) };
}

export function pidOf(pidFile: string): number | undefined {
  try {
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Answers PING with PONG (checked by talking to it: a zombie's PID proves nothing here). */
export function answersPing(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

/** The caches of `regions` that are running (their own process, answering), by region. */
export function runningCacheUrls(dir: string, portBase: number, regions: readonly string[]): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const region of regions) {
    const cache = regionCache(dir, portBase, region);
    const pid = pidOf(cache.pidFile);
    if (pid !== undefined && isAlive(pid)) urls[region] = cache.url;
  }
  return urls;
}

function redisServerVersion(): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('redis-server', ['--version'], { timeout: 5_000 }, (error, stdout) => resolve(error ? null : stdout.trim()));
  });
}

function startRedis(cache: RegionCache, dir: string): Promise<void> {
  const args = [
    '--port', String(cache.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'yes',
    '--pidfile', cache.pidFile, '--dir', cacheDir(dir), '--logfile', join(cacheDir(dir), `redis-${cache.region}.log`),
  ];
  return new Promise((resolve, reject) => {
    execFile('redis-server', args, { timeout: 10_000 }, (error, _stdout, stderr) =>
      error ? reject(new TopologyError(`redis-server on port ${cache.port}: ${stderr.trim() || error.message}`)) : resolve(),
    );
  });
}

/**
 * Starts the caches of `regions` that are not running yet. Without `redis-server` on the PATH it says so and
 * starts none: the topology file then has no `cacheUrl` and the app falls back to the shared Redis.
 */
export async function startRegionCaches(dir: string, portBase: number, regions: readonly string[], steps: StepLog): Promise<void> {
  const version = await redisServerVersion();
  if (version === null) {
    steps.line('region caches: redis-server not found on PATH, skipped (the app uses REDIS_URL for every region)');
    return;
  }
  mkdirSync(cacheDir(dir), { recursive: true, mode: 0o700 });
  const running = runningCacheUrls(dir, portBase, regions);
  for (const region of regions.filter((r) => !(r in running))) {
    const cache = regionCache(dir, portBase, region);
    await steps.step(`cache ${region} on port ${cache.port}`, async () => {
      rmSync(cache.pidFile, { force: true });
      if (await answersPing(cache.port)) throw new TopologyError(`port ${cache.port} already has a Redis server that is not this topology's`);
      await startRedis(cache, dir);
      const deadline = Date.now() + READY_TIMEOUT_MS;
      while (!(await answersPing(cache.port)) || pidOf(cache.pidFile) === undefined) {
        if (Date.now() > deadline) throw new TopologyError(`redis-server on port ${cache.port} not ready after ${READY_TIMEOUT_MS} ms (see ${cacheDir(dir)})`);
        await sleep(20);
      }
    });
  }
}

/** Stops every cache this topology started (by the PIDs in its pid files) and removes their files. */
export async function stopRegionCaches(dir: string, steps: StepLog): Promise<void> {
  await stopByPidFiles(cacheDir(dir), 'cache ', steps);
}

/** Stops the Redis processes named by the pid files in `folder` (TERM, then KILL), then removes the folder. */
export async function stopByPidFiles(folder: string, label: string, steps: StepLog): Promise<void> {
  if (!existsSync(folder)) return;
  for (const name of readdirSync(folder).filter((n) => n.endsWith('.pid'))) {
    const pid = pidOf(join(folder, name));
    if (pid === undefined || !isAlive(pid)) continue;
    await steps.step(`stop ${label}${name.replace(/\.pid$/, '')}`, async () => {
      process.kill(pid, 'SIGTERM');
      if (!(await waitGone([pid], 5_000))) process.kill(pid, 'SIGKILL');
    });
  }
  rmSync(folder, { recursive: true, force: true });
}
