// A server's processes: the postmaster named in postmaster.pid and its children, found through /proc.
// Liveness never relies on kill -0: PID 1 here does not reap, so a dead postmaster can stay a zombie.
import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { sleep } from './options';

interface ProcInfo {
  pid: number;
  ppid: number;
  state: string;
}

function readStat(pid: number): ProcInfo | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { pid, state: rest[0], ppid: Number(rest[1]) };
  } catch {
    return undefined;
  }
}

/** R, S, D, T (stopped), Z (zombie)... or undefined when there is no such process. */
export function processState(pid: number): string | undefined {
  return readStat(pid)?.state;
}

export function isAlive(pid: number): boolean {
  const state = processState(pid);
  return state !== undefined && state !== 'Z' && state !== 'X' && state !== 'x';
}

function isPostgresProcess(pid: number): boolean {
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return /postgres/.test(cmd);
  } catch {
    return false;
  }
}

/** PID from the first line of a lock file (postmaster.pid, .s.PGSQL.<port>.lock). */
function lockFilePid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').split('\n')[0].trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the process works in `dir`: a postmaster and its children chdir to their data folder. */
function worksIn(pid: number, dir: string): boolean {
  try {
    return readlinkSync(`/proc/${pid}/cwd`) === realpathSync(dir);
  } catch {
    return false;
  }
}

/**
 * The postmaster's PID if postmaster.pid names a live postgres process of this data folder. A killed
 * server's stale file can name a PID already reused (pid_max may be 32768) by another server's process:
 * signalling that one would take down a server nobody meant to touch.
 */
export function postmasterPid(dataDir: string): number | undefined {
  const pid = lockFilePid(join(dataDir, 'postmaster.pid'));
  return pid !== undefined && isAlive(pid) && isPostgresProcess(pid) && worksIn(pid, dataDir) ? pid : undefined;
}

/** Every live descendant of `pid` (postgres children: checkpointer, walsenders, backends...). */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const info = readStat(Number(name));
    if (!info || info.state === 'Z') continue;
    const list = children.get(info.ppid) ?? [];
    list.push(info.pid);
    children.set(info.ppid, list);
  }
  const out: number[] = [];
  const queue = [...(children.get(pid) ?? [])];
  while (queue.length) {
    const p = queue.shift()!;
    out.push(p);
    queue.push(...(children.get(p) ?? []));
  }
  return out;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** SIGSTOP the postmaster first (so it forks no one new), then every child. */
export function freezeTree(pid: number): number[] {
  signal(pid, 'SIGSTOP');
  const kids = descendants(pid);
  for (const p of kids) signal(p, 'SIGSTOP');
  return [pid, ...kids];
}

/** SIGCONT the children, then the postmaster. */
export function thawTree(pid: number): number[] {
  const kids = descendants(pid);
  for (const p of kids) signal(p, 'SIGCONT');
  signal(pid, 'SIGCONT');
  return [pid, ...kids];
}

/** SIGKILL the postmaster and all its children; resolves once none of them is alive. */
export async function killTree(pid: number, timeoutMs = 10_000): Promise<number[]> {
  const all = [pid, ...descendants(pid)];
  for (const p of all) signal(p, 'SIGKILL');
  await waitGone(all, timeoutMs);
  return all;
}

/**
 * SIGKILL the postmaster alone, as the kernel's OOM killer does: its backends notice and exit on their own
 * (a client may get 57P01 "unexpected postmaster exit"); resolves once they are gone.
 */
export async function killPostmaster(pid: number, timeoutMs = 10_000): Promise<number[]> {
  const children = descendants(pid);
  signal(pid, 'SIGKILL');
  if (!(await waitGone([pid, ...children], timeoutMs))) for (const p of children) signal(p, 'SIGKILL');
  return [pid, ...children];
}

export async function waitGone(pids: number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(isAlive)) {
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

export function isFrozen(pid: number): boolean {
  return processState(pid) === 'T';
}

/**
 * Remove lock files left by a dead server (postmaster.pid, the socket lock): a zombie's PID still
 * "exists" for kill(pid, 0), and PostgreSQL would refuse to start on top of it.
 */
export function removeStaleLocks(dataDir: string, socketDir: string, port: number): string[] {
  const removed: string[] = [];
  const files = [
    join(dataDir, 'postmaster.pid'),
    join(socketDir, `.s.PGSQL.${port}.lock`),
  ];
  for (const file of files) {
    if (!existsSync(file)) continue;
    const pid = lockFilePid(file);
    if (pid !== undefined && isAlive(pid) && isPostgresProcess(pid) && worksIn(pid, dataDir)) continue;
    rmSync(file, { force: true });
    removed.push(file);
    if (file.endsWith('.lock')) rmSync(file.slice(0, -'.lock'.length), { force: true });
  }
  return removed;
}

/**
 * Every process whose working directory is inside `dir`: PostgreSQL's processes chdir to their data
 * folder, so this finds a server's processes even after its postmaster died and left orphans. Only
 * PostgreSQL's own processes count (not, say, a shell someone opened in the folder).
 */
export function processesUnder(dir: string): number[] {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cwd = readlinkSync(`/proc/${name}/cwd`);
      const pid = Number(name);
      if ((cwd === dir || cwd.startsWith(prefix)) && isAlive(pid) && isPostgresProcess(pid)) found.push(pid);
    } catch {
      // gone, or not ours to inspect
    }
  }
  return found;
}

export async function killPids(pids: number[], timeoutMs = 5_000): Promise<boolean> {
  for (const p of pids) signal(p, 'SIGKILL');
  return waitGone(pids, timeoutMs);
}
