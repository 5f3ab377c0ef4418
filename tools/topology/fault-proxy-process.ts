// Starting and stopping the topology's fault proxy process, and where it listens: the proxy for a server on
// port base + 50 + the server's offset, its control API on port base + 49. Files under <dir>/proxy.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FaultProxyControl } from './fault-proxy-control';
import type { FaultProxyOptions, ProxiedServer } from './fault-proxy';
import { DEFAULT_REGION } from './layout';
import { repoRoot, sleep, StepLog, TopologyError } from './options';
import { isAlive, waitGone } from './processes';
import type { ServerState, TopologyState } from './state';

export const PROXY_MODES = ['pass', 'latency'] as const;
/** `pass`: the proxy in front, every path passes; `latency`: and the delays between regions are on. */
export type ProxyMode = (typeof PROXY_MODES)[number];

const CONTROL_PORT_OFFSET = 49;
const LISTENER_PORT_OFFSET = 50;
const READY_TIMEOUT_MS = 15_000;

export interface FaultProxyDaemonConfig extends FaultProxyOptions {
  controlPort: number;
}

const files = (dir: string) => {
  const folder = join(dir, 'proxy');
  return { folder, config: join(folder, 'config.json'), pid: join(folder, 'proxy.pid'), log: join(folder, 'proxy.log') };
};

/** The port the app connects to for `server`: the proxy's when the topology has one, else the server's own. */
export function appPort(state: TopologyState, server: ServerState): number {
  return state.proxy ? state.portBase + LISTENER_PORT_OFFSET + server.offset : server.port;
}

export function proxyControl(state: TopologyState): FaultProxyControl {
  if (!state.proxy) throw new TopologyError(`the topology in ${state.dir} has no fault proxy: run "up --proxy" or "up --latency" first`);
  return new FaultProxyControl(state.portBase + CONTROL_PORT_OFFSET);
}

function daemonConfig(state: TopologyState): FaultProxyDaemonConfig {
  const servers: ProxiedServer[] = state.servers.map((s) => ({ id: s.id, region: s.region, targetPort: s.port, listenPort: appPort(state, s) }));
  return { servers, latency: state.proxy === 'latency', defaultClientRegion: DEFAULT_REGION, controlPort: state.portBase + CONTROL_PORT_OFFSET };
}

function runningPid(dir: string): number | undefined {
  try {
    const pid = Number(readFileSync(files(dir).pid, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

function logTail(dir: string): string {
  try {
    return readFileSync(files(dir).log, 'utf8').trim().split('\n').slice(-5).join(' | ');
  } catch {
    return 'no log';
  }
}

/**
 * Starts the proxy for `state.proxy`'s mode, detached from this process. A proxy already running with the
 * same configuration is kept (with its rules); one with another is replaced.
 */
export async function startFaultProxy(state: TopologyState, steps: StepLog): Promise<void> {
  const paths = files(state.dir);
  const config = `${JSON.stringify(daemonConfig(state), null, 2)}\n`;
  const pid = runningPid(state.dir);
  if (pid !== undefined && existsSync(paths.config) && readFileSync(paths.config, 'utf8') === config) {
    steps.line(`fault proxy: running (pid ${pid}, ${state.proxy})`);
    return;
  }
  await stopFaultProxy(state.dir, steps);
  const script = join(repoRoot(), 'tools/topology/fault-proxy-daemon.ts');
  if (!existsSync(script)) throw new TopologyError(`cannot start the fault proxy: ${script} not found (run from the repository)`);
  await steps.step(`fault proxy (${state.proxy}) on ports ${state.portBase + LISTENER_PORT_OFFSET}+, control ${state.portBase + CONTROL_PORT_OFFSET}`, async () => {
    mkdirSync(paths.folder, { recursive: true, mode: 0o700 });
    writeFileSync(paths.config, config, { mode: 0o600 });
    const log = openSync(paths.log, 'a');
    const child = spawn(process.execPath, ['--import', 'tsx', script, paths.config], { cwd: repoRoot(), detached: true, stdio: ['ignore', log, log] });
    closeSync(log);
    let exited = false;
    child.on('error', () => (exited = true));
    child.on('exit', () => (exited = true));
    child.unref();
    writeFileSync(paths.pid, `${child.pid}\n`);
    const control = proxyControl(state);
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      if (exited) throw new TopologyError(`the fault proxy exited at start: ${logTail(state.dir)}`);
      if (await control.status().then(() => true, () => false)) return;
      if (Date.now() > deadline) throw new TopologyError(`the fault proxy did not answer within ${READY_TIMEOUT_MS} ms: ${logTail(state.dir)}`);
      await sleep(50);
    }
  });
}

/** Stops the topology's proxy process, if any, and removes its files. */
export async function stopFaultProxy(dir: string, steps: StepLog): Promise<void> {
  const pid = runningPid(dir);
  if (pid !== undefined) {
    await steps.step(`stop fault proxy (pid ${pid})`, async () => {
      process.kill(pid, 'SIGTERM');
      if (!(await waitGone([pid], 5_000))) process.kill(pid, 'SIGKILL');
    });
  }
  rmSync(files(dir).folder, { recursive: true, force: true });
}
