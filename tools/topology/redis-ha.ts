// Redis without a single point of failure on loopback: a primary, a replica and three sentinels that
// promote the replica when the primary dies (`up --redis-ha`); "down" stops them. Throwaway: no persistence,
// bound to 127.0.0.1, files under <dir>/redis-ha. Quick failure detection for tests and demos.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sleep, StepLog, TopologyError } from './options';
import { isAlive, waitGone } from './processes';
import { answersPing, pidOf, stopByPidFiles } from './region-caches';

/** The name the sentinels know the primary by (`REDIS_SENTINEL_NAME`). */
export const REDIS_HA_NAME = 'rdr-coordination';
/** Port offsets from the topology's port base: primary, replica, then the sentinels. */
const OFFSETS = { primary: 40, replica: 41, sentinels: [42, 43, 44] } as const;
const READY_TIMEOUT_MS = 10_000;
/** Sentinel settings: a primary silent for this long is down; a failover attempt is retried after the timeout. */
const DOWN_AFTER_MS = 1_000;
const FAILOVER_TIMEOUT_MS = 3_000;

export interface RedisHaNode {
  name: string;
  port: number;
  pidFile: string;
}

const haDir = (dir: string) => join(dir, 'redis-ha');

function node(dir: string, name: string, port: number): RedisHaNode {
  return { name, port, pidFile: join(haDir(dir), `${name}.pid`) };
}

export function redisHaNodes(dir: string, portBase: number): { servers: RedisHaNode[]; sentinels: RedisHaNode[] } {
  return {
    servers: [node(dir, 'redis-primary', portBase + OFFSETS.primary), node(dir, 'redis-replica', portBase + OFFSETS.replica)],
    sentinels: OFFSETS.sentinels.map((offset, i) => node(dir, `sentinel-${i + 1}`, portBase + offset)),
  };
}

/** The app's settings for this Redis: `REDIS_SENTINELS` and `REDIS_SENTINEL_NAME`. */
export function redisHaEnv(dir: string, portBase: number): Record<string, string> {
  return {
    REDIS_SENTINELS: redisHaNodes(dir, portBase).sentinels.map((s) => `127.0.0.1:${s.port}`).join(','),
    REDIS_SENTINEL_NAME: REDIS_HA_NAME,
  };
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 10_000 }, (error, stdout, stderr) => (error ? reject(new TopologyError(`${command} ${args[0]}: ${stderr.trim() || error.message}`)) : resolve(stdout)));
  });
}

function common(dir: string, n: RedisHaNode): string[] {
  return ['--port', String(n.port), '--bind', '127.0.0.1', '--daemonize', 'yes', '--pidfile', n.pidFile, '--dir', haDir(dir), '--logfile', join(haDir(dir), `${n.name}.log`)];
}

async function startServer(dir: string, n: RedisHaNode, primaryPort: number | null): Promise<void> {
  const replicaOf = primaryPort === null ? [] : ['--replicaof', '127.0.0.1', String(primaryPort)];
  await run('redis-server', [...common(dir, n), '--save', '', '--appendonly', 'no', '--dbfilename', `${n.name}.rdb`, ...replicaOf]);
}

async function startSentinel(dir: string, n: RedisHaNode, primaryPort: number): Promise<void> {
  // A sentinel rewrites its own file as it learns the topology: one file each.
  const conf = join(haDir(dir), `${n.name}.conf`);
  writeFileSync(
    conf,
    [
      `sentinel monitor ${REDIS_HA_NAME} 127.0.0.1 ${primaryPort} 2`,
      `sentinel down-after-milliseconds ${REDIS_HA_NAME} ${DOWN_AFTER_MS}`,
      `sentinel failover-timeout ${REDIS_HA_NAME} ${FAILOVER_TIMEOUT_MS}`,
      `sentinel parallel-syncs ${REDIS_HA_NAME} 1`,
      '',
    ].join('\n'),
  );
  await run('redis-server', [conf, '--sentinel', ...common(dir, n)]);
}

async function waitReady(n: RedisHaNode): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await answersPing(n.port)) || pidOf(n.pidFile) === undefined) {
    if (Date.now() > deadline) throw new TopologyError(`${n.name} on port ${n.port} not ready after ${READY_TIMEOUT_MS} ms`);
    await sleep(20);
  }
}

/** Starts the primary, its replica and three sentinels, unless they already run. */
export async function startRedisHa(dir: string, portBase: number, steps: StepLog): Promise<void> {
  const { servers, sentinels } = redisHaNodes(dir, portBase);
  if ([...servers, ...sentinels].every((n) => isRunning(n))) return;
  await stopRedisHa(dir, steps);
  mkdirSync(haDir(dir), { recursive: true, mode: 0o700 });
  const [primary, replica] = servers;
  for (const n of [...servers, ...sentinels]) {
    if (await answersPing(n.port)) throw new TopologyError(`port ${n.port} already has a Redis server that is not this topology's`);
  }
  await steps.step(`redis primary on port ${primary.port}`, async () => {
    await startServer(dir, primary, null);
    await waitReady(primary);
  });
  await steps.step(`redis replica on port ${replica.port}`, async () => {
    await startServer(dir, replica, primary.port);
    await waitReady(replica);
  });
  for (const sentinel of sentinels) {
    await steps.step(`${sentinel.name} on port ${sentinel.port}`, async () => {
      await startSentinel(dir, sentinel, primary.port);
      await waitReady(sentinel);
    });
  }
}

function isRunning(n: RedisHaNode): boolean {
  const pid = pidOf(n.pidFile);
  return pid !== undefined && isAlive(pid);
}

/** The port of the server the sentinels name as primary now (asks each sentinel until one answers). */
export async function redisHaPrimaryPort(dir: string, portBase: number): Promise<number> {
  for (const sentinel of redisHaNodes(dir, portBase).sentinels) {
    const reply = await run('redis-cli', ['-p', String(sentinel.port), 'SENTINEL', 'get-master-addr-by-name', REDIS_HA_NAME]).catch(() => '');
    const port = Number(reply.trim().split('\n')[1]);
    if (Number.isInteger(port) && port > 0) return port;
  }
  throw new TopologyError('no sentinel answers: is the Redis HA topology up?');
}

/** kill -9 of the server the sentinels currently name as primary; returns its port. */
export async function killRedisHaPrimary(dir: string, portBase: number): Promise<number> {
  const port = await redisHaPrimaryPort(dir, portBase);
  const target = redisHaNodes(dir, portBase).servers.find((n) => n.port === port);
  const pid = target && pidOf(target.pidFile);
  if (!target || pid === undefined || !isAlive(pid)) throw new TopologyError(`the Redis primary on port ${port} is not running`);
  process.kill(pid, 'SIGKILL');
  await waitGone([pid], 5_000);
  return port;
}

/** Stops every Redis server and sentinel of this topology (by their pid files) and removes their files. */
export async function stopRedisHa(dir: string, steps: StepLog): Promise<void> {
  await stopByPidFiles(haDir(dir), '', steps);
}
