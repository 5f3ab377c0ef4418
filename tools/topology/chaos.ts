// Failure injection on one server: kill -9, freeze/thaw (SIGSTOP/SIGCONT), pause/resume WAL replay.
import { withServer } from './db';
import { TopologyError } from './options';
import { freezeTree, killPostmaster, killTree, postmasterPid, thawTree } from './processes';
import { ServerState } from './state';

function requirePid(server: ServerState, action: string): number {
  const pid = postmasterPid(server.dataDir);
  if (pid === undefined) throw new TopologyError(`cannot ${action} ${server.id}: it is not running`);
  return pid;
}

/** SIGKILL the postmaster and its children, like a crash; resolves once they are gone. */
export async function kill(server: ServerState): Promise<number[]> {
  return killTree(requirePid(server, 'kill'));
}

/** SIGKILL the postmaster alone (an OOM kill); resolves once its backends have exited on their own. */
export async function killPostmasterOnly(server: ServerState): Promise<number[]> {
  return killPostmaster(requirePid(server, 'kill'));
}

/** SIGSTOP the postmaster and every child: connections hang instead of failing. */
export function freeze(server: ServerState): number[] {
  return freezeTree(requirePid(server, 'freeze'));
}

export function thaw(server: ServerState): number[] {
  return thawTree(requirePid(server, 'thaw'));
}

async function onReplica(server: ServerState, sql: string, action: string): Promise<void> {
  requirePid(server, action);
  await withServer(server, async (c) => {
    const { rows } = await c.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r');
    if (!rows[0].r) throw new TopologyError(`cannot ${action} on ${server.id}: it is not a replica (not in recovery)`);
    await c.query(sql);
  });
}

export const pauseReplay = (server: ServerState) => onReplica(server, 'SELECT pg_wal_replay_pause()', 'pause replay');
export const resumeReplay = (server: ServerState) => onReplica(server, 'SELECT pg_wal_replay_resume()', 'resume replay');

/** Whether WAL replay is paused (or pausing): false on a primary. */
export async function replayPaused(server: ServerState): Promise<boolean> {
  return withServer(server, async (c) => {
    const { rows } = await c.query<{ state: string | null }>(
      "SELECT CASE WHEN pg_is_in_recovery() THEN pg_get_wal_replay_pause_state() END AS state",
    );
    return rows[0].state !== null && rows[0].state !== 'not paused';
  });
}
