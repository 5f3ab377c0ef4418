// `npm start` stopped the way a process manager or a script stops it, by its process id (kill -TERM <npm pid>):
// npm forwards the signal to its script, which must reach the service; nothing may be left running or listening.
import { afterAll, describe, expect, it } from '@jest/globals';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { existsSync, readFileSync } from 'node:fs';
import { eventually } from './support/app';
import { freePort } from './support/nginx';
import { suitePrefix } from './support/suite';
import { testTopology, topologyOptions } from './support/test-topology';

/** Every process below `pid`, from ps (npm, its shell if any, tsx, the script, the service). */
function descendants(pid: number): number[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number));
  const found: number[] = [];
  const walk = (parent: number) => rows.filter(([, ppid]) => ppid === parent).forEach(([child]) => (found.push(child), walk(child)));
  walk(pid);
  return found;
}

/** Gone, or a zombie nobody reaped (PID 1 here may not): either way it runs nothing. */
const running = (pid: number) => existsSync(`/proc/${pid}/stat`) && !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));

describe('npm start stopped by its process id', () => {
  const prefix = suitePrefix('npm-start');
  let npm: ChildProcess | null = null;
  let tree: number[] = [];

  afterAll(async () => {
    for (const pid of [npm?.pid, ...tree]) if (pid && running(pid)) process.kill(pid, 'SIGKILL');
    // The service's own Redis keys (heartbeat, state), written from its process.
    const redis = new Redis(process.env.REDIS_URL!);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('kill -TERM <npm pid> stops the service: nothing left running, its port free', async () => {
    testTopology(); // the shared topology (npm start migrates it, as it would any configured one)
    // In the run's own port range (offsets 100-850 are the suites' topologies), below the ephemeral ones.
    const port = await freePort(topologyOptions.portBase + 900, topologyOptions.portBase + 940);
    let output = '';
    npm = spawn('npm', ['start'], {
      env: { ...process.env, PORT: String(port), REDIS_PREFIX: prefix, LOG_LEVEL: 'warn', FAILOVER_AUTOMATIC: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    npm.stdout!.on('data', (d) => (output = (output + d).slice(-10_000)));
    npm.stderr!.on('data', (d) => (output = (output + d).slice(-10_000)));
    const exited = new Promise<number | null>((resolve) => npm!.once('exit', (code) => resolve(code)));
    const base = `http://127.0.0.1:${port}`;
    // npm start migrates and builds first: minutes on a busy machine.
    await eventually(async () => (await fetch(`${base}/health/live`).catch(() => null))?.ok, 300_000, 500).catch((error) => {
      throw new Error(`${error}\n${output}`);
    });
    tree = descendants(npm.pid!);
    expect(tree.length).toBeGreaterThanOrEqual(2); // the script and the service at least

    process.kill(npm.pid!, 'SIGTERM');
    await exited;
    await eventually(async () => tree.every((pid) => !running(pid)), 60_000, 200).catch((error) => {
      throw new Error(`${error}: still running ${tree.filter(running).join(' ')}\n${output}`);
    });
    await eventually(async () => (await fetch(`${base}/health/live`).then(() => false, () => true)), 10_000);
  }, 420_000);
});
