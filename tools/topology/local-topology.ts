// A real multi-region PostgreSQL topology on this machine: the public API (up, down, status, chaos, restore, rejoin).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { applySync, ClusterContext, logTail, startCluster, stopCluster } from './cluster';
import * as chaos from './chaos';
import { probe } from './db';
import { assertCanRunPostgres, ensureTraversable, giveToPostgres, run } from './exec';
import type { FaultProxyStatus } from './fault-proxy';
import { ANY_CLIENT, Fault, PathRule } from './fault-rules';
import { appPort, proxyControl, startFaultProxy, stopFaultProxy } from './fault-proxy-process';
import { layout, REGIONS } from './layout';
import {
  DEFAULT_PORT_BASE,
  ResolvedOptions,
  resolveOptions,
  StepLog,
  TopologyError,
  TopologyOptionsInput,
  topologyPaths,
} from './options';
import { findPgBinaries } from './pg-binaries';
import { isFrozen, killPids, postmasterPid, processesUnder } from './processes';
import { provision } from './provision';
import { startRegionCaches, stopRegionCaches } from './region-caches';
import { stopRedisHa } from './redis-ha';
import { rejoinServer } from './rejoin';
import { findServer, loadState, newPassword, requireState, saveState, ServerState, serversInRegion, TopologyState } from './state';
import { writeTopologyFile } from './topology-file';

export type { LocalTopologyOptions, TopologyOptionsInput } from './options';
export type { TopologyState, ServerState } from './state';
export { TopologyError } from './options';
export { buildTopologyFile, topologyEnv } from './topology-file';
export type { FaultProxyStatus } from './fault-proxy';
export type { ProxyMode } from './fault-proxy-process';

export interface EndpointStatus {
  id: string;
  group: string;
  region: string;
  port: number;
  /** Where the app connects: the fault proxy's port when the topology has one, else `port`. */
  appPort: number;
  /** Answers connections (checked by connecting, not by the PID). */
  running: boolean;
  /** pg_is_in_recovery(); null when it does not answer. */
  inRecovery: boolean | null;
  /** The live postmaster's PID, or null. */
  pid: number | null;
  /** SIGSTOPped by freeze. */
  frozen: boolean;
  role: 'primary' | 'replica' | 'frozen' | 'down' | 'unreachable';
  /** Why it does not answer, when it does not. */
  detail?: string;
}

export function topologyFilePath(opts: TopologyOptionsInput = {}): string {
  return topologyPaths(resolveOptions(opts).dir).topology;
}

interface Session {
  o: ResolvedOptions;
  steps: StepLog;
  state: TopologyState;
  /** Binaries and folders, looked up on first use (status needs none). */
  readonly ctx: ClusterContext;
}

function open(opts: TopologyOptionsInput): Session {
  const o = resolveOptions(opts);
  const state = requireState(o.dir);
  let ctx: ClusterContext | undefined;
  return {
    o,
    steps: new StepLog(o.log),
    state,
    get ctx() {
      return (ctx ??= context(state));
    },
  };
}

/** The topology's own binaries when they are still there: its data folders need that major version. */
function context(state: Pick<TopologyState, 'dir' | 'binDir'>): ClusterContext {
  return { bins: findPgBinaries(state.binDir), dir: state.dir, socketDir: topologyPaths(state.dir).sockets };
}

function prepareFolder(o: ResolvedOptions, steps: StepLog): void {
  const paths = topologyPaths(o.dir);
  ensureTraversable(o.dir, (line) => steps.line(line));
  for (const d of [paths.dir, paths.sockets, paths.logs, paths.data]) {
    mkdirSync(d, { recursive: true, mode: 0o755 });
    giveToPostgres(d);
  }
  const socket = join(paths.sockets, '.s.PGSQL.65535');
  if (Buffer.byteLength(socket) > 107) {
    throw new TopologyError(`the folder path is too long for PostgreSQL's unix sockets (${socket}): use a shorter --dir`);
  }
}

/** Writable servers of a group, found by asking each running one. */
async function writableMembers(state: TopologyState, group: string): Promise<ServerState[]> {
  const members = state.servers.filter((s) => s.group === group);
  const probes = await Promise.all(members.map((s) => probe(s, 1_500)));
  return members.filter((_, i) => {
    const p = probes[i];
    return p.ok && !p.inRecovery;
  });
}

function validateSync(state: TopologyState, sync: string[]): void {
  for (const group of sync) {
    const members = state.servers.filter((s) => s.group === group);
    if (!members.length) {
      const groups = [...new Set(state.servers.map((s) => s.group))];
      throw new TopologyError(`--sync: unknown region "${group}" (known: ${groups.join(', ')})`);
    }
    if (members.length < 2) throw new TopologyError(`--sync: "${group}" has no replica to wait for`);
  }
}

/**
 * Create and start the topology. Idempotent: running servers are kept, stopped ones started, missing
 * ones created. Resolves with the state (which holds the app password: do not print it).
 */
export async function up(opts: TopologyOptionsInput = {}): Promise<TopologyState> {
  const o = resolveOptions(opts);
  const steps = new StepLog(o.log);
  assertCanRunPostgres();
  const bins = findPgBinaries(loadState(o.dir)?.binDir);
  steps.line(`PostgreSQL ${bins.major} from ${bins.binDir} (${bins.source}${bins.hasBasebackup ? '' : ', no pg_basebackup: replicas are copies'})`);
  prepareFolder(o, steps);
  const paths = topologyPaths(o.dir);

  const previous = loadState(o.dir);
  if (previous && o.portBase !== undefined && o.portBase !== previous.portBase) {
    throw new TopologyError(`${o.dir} holds a topology on port base ${previous.portBase}, not ${o.portBase}: run "down" first or use another --dir`);
  }
  const portBase = previous?.portBase ?? o.portBase ?? DEFAULT_PORT_BASE;
  const state: TopologyState = previous ?? {
    version: 1,
    dir: o.dir,
    portBase,
    small: o.small,
    sync: [],
    password: newPassword(),
    binDir: bins.binDir,
    createdAt: new Date().toISOString(),
    servers: [],
  };
  state.dir = o.dir;
  state.binDir = bins.binDir;
  state.small = state.small && o.small;
  for (const spec of layout(o.small)) {
    if (state.servers.some((s) => s.id === spec.id)) continue;
    state.servers.push({ ...spec, port: portBase + spec.offset, dataDir: paths.dataDir(spec.id), logFile: paths.logFile(spec.id) });
  }
  const order = layout(false).map((spec) => spec.id);
  state.servers.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  if (previous && o.small && previous.servers.length > layout(true).length) {
    steps.line('note: the existing topology is larger than --small; keeping all its servers');
  }
  const previousSync = state.sync;
  const sync = o.sync ?? state.sync;
  validateSync(state, sync);
  state.sync = sync;
  saveState(state); // before creating anything, so that "down" can clean up a failed "up"
  const ctx = context(state);
  // A server that fails does not stop the others: failures are reported together at the end.
  const failed = await provision(ctx, steps, state);

  // Synchronous replication where asked (after the replicas are up, or commits would wait).
  const groups = [...new Set(state.servers.map((s) => s.group))];
  for (const group of groups) {
    const wanted = sync.includes(group);
    if (!wanted && !previousSync.includes(group)) continue;
    for (const w of await writableMembers(state, group)) {
      const standbys = state.servers.filter((s) => s.group === group && s.id !== w.id).map((s) => s.id);
      await steps.step((r) => `synchronous_standby_names on ${w.id}: ${r}`, () => applySync(w, wanted ? standbys : null));
    }
  }

  // Two writable servers in a group is a split brain the operator should know about.
  for (const group of groups) {
    const writable = await writableMembers(state, group);
    if (writable.length > 1) {
      steps.line(`WARNING ${group}: ${writable.map((s) => s.id).join(' and ')} all accept writes; use "rejoin" to make the old primary a replica`);
    }
  }

  const regions = REGIONS.filter((region) => state.servers.some((s) => s.group === region));
  await startRegionCaches(o.dir, portBase, regions, steps);
  if (o.proxy !== undefined) state.proxy = o.proxy === 'off' ? undefined : o.proxy;
  if (state.proxy) await startFaultProxy(state, steps);
  else await stopFaultProxy(o.dir, steps);
  writeTopologyFile(state, paths.topology);
  saveState(state);
  if (failed.size) {
    const lines = [...failed].map(([id, error]) => `- ${id}: ${error.message.startsWith(`${id}: `) ? error.message.slice(id.length + 2) : error.message}`);
    throw new TopologyError(`up: ${failed.size} of ${state.servers.length} servers failed (${Date.now() - steps.started} ms):\n${lines.join('\n')}`);
  }
  steps.line(`up: ${state.servers.length} servers ready in ${Date.now() - steps.started} ms; topology file ${paths.topology}`);
  return state;
}

const OUR_ENTRIES = new Set(['state.json', 'topology.json', 'failover-history.jsonl', 'sockets', 'logs', 'data', 'redis', 'proxy', 'redis-ha']);

/** Servers found in the folder when state.json is gone (a crashed or interrupted "up"). */
function serversFromFolder(dir: string): ServerState[] {
  const paths = topologyPaths(dir);
  if (!existsSync(paths.data)) return [];
  return readdirSync(paths.data).map((id) => {
    const dataDir = paths.dataDir(id);
    let port = 0;
    try {
      port = Number(/^port\s*=\s*'?(\d+)/m.exec(readFileSync(join(dataDir, 'postgresql.auto.conf'), 'utf8'))?.[1] ?? 0);
    } catch {
      // no configuration: nothing of it can be running on a known port
    }
    return { id, group: '', region: '', offset: 0, kind: 'primary', database: '', port, dataDir, logFile: paths.logFile(id) };
  });
}

/** Stop every server (fast, then immediate, then kill) and remove the folder. */
export async function down(opts: TopologyOptionsInput = {}): Promise<void> {
  const o = resolveOptions(opts);
  const steps = new StepLog(o.log);
  if (!existsSync(o.dir)) {
    steps.line(`down: nothing to do (${o.dir} does not exist)`);
    return;
  }
  const state = loadState(o.dir);
  if (!state) {
    const foreign = readdirSync(o.dir).filter((name) => !OUR_ENTRIES.has(name) && !name.includes('.tmp-'));
    if (foreign.length) throw new TopologyError(`${o.dir} does not look like a topology folder (it holds ${foreign.slice(0, 5).join(', ')}): not removing it`);
  }
  const servers = state?.servers ?? serversFromFolder(o.dir);
  const ctx = context({ dir: o.dir, binDir: state?.binDir ?? '' });
  // Every stop thaws its server before its first await, so all are thawed before any shutdown begins
  // (a frozen replica could otherwise hold up its primary's).
  await Promise.all(servers.map((s) => steps.step((r) => `stop ${s.id}: ${r}`, () => stopCluster(ctx, s))));
  await stopRegionCaches(o.dir, steps);
  await stopFaultProxy(o.dir, steps);
  await stopRedisHa(o.dir, steps);
  const leftovers = processesUnder(o.dir);
  if (leftovers.length) {
    await steps.step(`kill ${leftovers.length} leftover process(es) ${leftovers.join(' ')}`, () => killPids(leftovers));
  }
  await steps.step(`remove ${o.dir}`, () => run('rm', ['-rf', '--', o.dir]).catch(() => rmSync(o.dir, { recursive: true, force: true })));
  steps.line(`down: done in ${Date.now() - steps.started} ms`);
}

/** Per server: running (by connecting), in recovery, PID, frozen. */
export async function status(opts: TopologyOptionsInput = {}): Promise<EndpointStatus[]> {
  const { state } = open(opts);
  return Promise.all(
    state.servers.map(async (s): Promise<EndpointStatus> => {
      const pid = postmasterPid(s.dataDir) ?? null;
      const base = { id: s.id, group: s.group, region: s.region, port: s.port, appPort: appPort(state, s), pid };
      if (pid !== null && isFrozen(pid)) return { ...base, running: false, inRecovery: null, frozen: true, role: 'frozen' };
      const p = await probe(s, 1_500);
      if (p.ok) return { ...base, running: true, inRecovery: p.inRecovery, frozen: false, role: p.inRecovery ? 'replica' : 'primary' };
      return { ...base, running: false, inRecovery: null, frozen: false, role: pid === null ? 'down' : 'unreachable', detail: p.error };
    }),
  );
}

async function onServer<T>(opts: TopologyOptionsInput, id: string, label: string, fn: (s: ServerState, session: Session) => Promise<T>): Promise<T> {
  const session = open(opts);
  const server = findServer(session.state, id);
  return session.steps.step((r) => `${label} ${id}${typeof r === 'string' ? `: ${r}` : ''}`, () => fn(server, session));
}

export async function killServer(opts: TopologyOptionsInput, endpointId: string, options: { postmasterOnly?: boolean } = {}): Promise<void> {
  if (options.postmasterOnly) {
    await onServer(opts, endpointId, 'kill -9 postmaster', async (s) => `${(await chaos.killPostmasterOnly(s)).length} processes gone`);
    return;
  }
  await onServer(opts, endpointId, 'kill -9', async (s) => `${(await chaos.kill(s)).length} processes`);
}

export async function freezeServer(opts: TopologyOptionsInput, endpointId: string): Promise<void> {
  await onServer(opts, endpointId, 'freeze', async (s) => `SIGSTOP to ${chaos.freeze(s).length} processes`);
}

export async function thawServer(opts: TopologyOptionsInput, endpointId: string): Promise<void> {
  await onServer(opts, endpointId, 'thaw', async (s) => `SIGCONT to ${chaos.thaw(s).length} processes`);
}

export async function stopServer(opts: TopologyOptionsInput, endpointId: string): Promise<void> {
  await onServer(opts, endpointId, 'stop', (s, { ctx }) => stopCluster(ctx, s));
}

export async function startServer(opts: TopologyOptionsInput, endpointId: string): Promise<void> {
  await onServer(opts, endpointId, 'start', (s, { ctx }) => startCluster(ctx, s));
}

export async function pauseReplay(opts: TopologyOptionsInput, endpointId: string): Promise<void> {
  await onServer(opts, endpointId, 'pause replay on', (s) => chaos.pauseReplay(s));
}

export async function resumeReplay(opts: TopologyOptionsInput, endpointId: string): Promise<void> {
  await onServer(opts, endpointId, 'resume replay on', (s) => chaos.resumeReplay(s));
}

/**
 * Every server back to running as `up` left it: thaws a frozen one, starts a stopped one, resumes paused
 * replay. One line per repair; a server found down carries its log's last lines, which say why.
 */
export async function restore(opts: TopologyOptionsInput): Promise<string[]> {
  const { state, ctx } = open(opts);
  const repairs = await Promise.all(
    state.servers.map(async (s): Promise<string | undefined> => {
      const pid = postmasterPid(s.dataDir);
      if (pid === undefined) {
        const tail = logTail(s.logFile, 8);
        await startCluster(ctx, s);
        return `${s.id} was down: started\n--- last lines of ${s.logFile} before ---\n${tail}`;
      }
      if (isFrozen(pid)) {
        chaos.thaw(s);
        return `${s.id} was frozen: thawed`;
      }
      // A server too busy to answer now is left alone: not an answer is not a pause.
      if (s.kind === 'replica' && (await chaos.replayPaused(s).catch(() => false))) {
        await chaos.resumeReplay(s);
        return `${s.id} had its replay paused: resumed`;
      }
      return undefined;
    }),
  );
  return repairs.filter((r): r is string => r !== undefined);
}

/** Stop every server located in the region (a global replica counts in the region it sits in). */
export async function stopRegion(opts: TopologyOptionsInput, region: string): Promise<void> {
  const { state, steps, ctx } = open(opts);
  const servers = serversInRegion(state, region);
  await Promise.all(servers.map((s) => steps.step((r) => `stop ${s.id}: ${r}`, () => stopCluster(ctx, s))));
}

export async function startRegion(opts: TopologyOptionsInput, region: string): Promise<void> {
  const { state, steps, ctx } = open(opts);
  const servers = serversInRegion(state, region);
  await Promise.all(servers.map((s) => steps.step((r) => `start ${s.id}: ${r}`, () => startCluster(ctx, s))));
}

/**
 * Make `endpointId` (a failed or stopped old primary, or a replica of it) a streaming replica of
 * `newPrimaryId` with pg_rewind; resolves once it streams from it.
 */
export async function rejoin(opts: TopologyOptionsInput, endpointId: string, newPrimaryId: string): Promise<void> {
  const { state, steps, ctx } = open(opts);
  const target = findServer(state, endpointId);
  const source = findServer(state, newPrimaryId);
  await rejoinServer(ctx, steps, target, source);
  target.kind = 'replica';
  target.upstream = source.id;
  source.kind = 'primary';
  delete source.upstream;
  saveState(state);
  steps.line(`rejoin: ${target.id} is a replica of ${source.id} (${Date.now() - steps.started} ms)`);
}

/** The fault proxy's rules, client regions and connections; null when the topology has no proxy. */
export async function proxyStatus(opts: TopologyOptionsInput = {}): Promise<FaultProxyStatus | null> {
  const { state } = open(opts);
  return state.proxy ? proxyControl(state).status() : null;
}

async function setPathFault(opts: TopologyOptionsInput, server: string, client: string | undefined, fault: Fault): Promise<PathRule> {
  const { state, steps } = open(opts);
  const ms = fault.mode === 'delay' ? fault.ms : undefined;
  const path = `${client ?? ANY_CLIENT} -> ${server}`;
  const { rule } = await steps.step(`${fault.mode}${ms === undefined ? '' : ` ${ms} ms`} on ${path}`, () =>
    proxyControl(state).setRule({ server, client, mode: fault.mode, ms }),
  );
  return rule;
}

/** Cuts the path from `client` (every client when omitted) to `server`: silently, or with a reset. */
export function partition(opts: TopologyOptionsInput, server: string, options: { client?: string; mode?: 'blackhole' | 'reset' } = {}): Promise<PathRule> {
  return setPathFault(opts, server, options.client, { mode: options.mode ?? 'blackhole' });
}

/** Adds `ms` one-way (twice that per round trip) on the path from `client` (every client) to `server`. */
export function delayPath(opts: TopologyOptionsInput, server: string, ms: number, options: { client?: string } = {}): Promise<PathRule> {
  return setPathFault(opts, server, options.client, { mode: 'delay', ms });
}

/** Removes the rules on `server` (every server) for `client` (every client): back to pass or the latency model. */
export async function heal(opts: TopologyOptionsInput, filter: { server?: string; client?: string } = {}): Promise<PathRule[]> {
  const { state, steps } = open(opts);
  const { removed } = await steps.step((r) => `heal ${filter.client ?? 'every client'} -> ${filter.server ?? 'every server'}: ${r?.removed.length} rule(s) removed`, () =>
    proxyControl(state).heal(filter),
  );
  return removed;
}

/** Places a client (by instance id) in a region, for the latency model. */
export async function setClientRegion(opts: TopologyOptionsInput, client: string, region: string): Promise<void> {
  const { state, steps } = open(opts);
  await steps.step(`client ${client} in ${region}`, () => proxyControl(state).setClientRegion(client, region));
}
