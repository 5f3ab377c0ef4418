// Running PostgreSQL's programs (as the `postgres` user when we are root) and giving it its files.
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, lstatSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, parse } from 'node:path';
import { TopologyError } from './options';

export const isRoot = (): boolean => process.getuid?.() === 0;

export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly exitCode: number | string | null,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(`${command} failed (${exitCode}): ${(stderr || stdout).trim().split('\n').slice(-6).join(' | ')}`);
    this.name = 'CommandError';
  }
}

export interface RunOptions {
  /** Run as `postgres` (through runuser) when we are root; directly otherwise. */
  asPostgres?: boolean;
  cwd?: string;
  timeoutMs?: number;
}

/** The environment minus libpq's PG* variables, which would redirect the tools to some other server. */
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (/^PG[A-Z]/.test(key)) delete env[key];
  return env;
}

export function run(cmd: string, args: string[], options: RunOptions = {}): Promise<{ stdout: string; stderr: string }> {
  const viaRunuser = options.asPostgres && isRoot();
  const file = viaRunuser ? 'runuser' : cmd;
  const argv = viaRunuser ? ['-u', 'postgres', '--', cmd, ...args] : args;
  const name = cmd.split('/').pop()!;
  return new Promise((resolvePromise, reject) => {
    execFile(
      file,
      argv,
      {
        cwd: options.cwd ?? '/',
        env: childEnv(),
        timeout: options.timeoutMs ?? 120_000,
        killSignal: 'SIGKILL',
        maxBuffer: 32 * 1024 * 1024,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (error) {
          const code = (error as NodeJS.ErrnoException & { code?: number | string }).code ?? null;
          reject(new CommandError(name, error.killed ? 'timed out' : code, stdout, stderr));
        } else resolvePromise({ stdout, stderr });
      },
    );
  });
}

let postgresIds: { uid: number; gid: number } | null | undefined;

/** uid/gid of the `postgres` user, or null when there is none. */
export function postgresUser(): { uid: number; gid: number } | null {
  if (postgresIds !== undefined) return postgresIds;
  postgresIds = null;
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const f = line.split(':');
      if (f[0] === 'postgres') postgresIds = { uid: Number(f[2]), gid: Number(f[3]) };
    }
  } catch {
    try {
      postgresIds = {
        uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()),
        gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()),
      };
    } catch {
      postgresIds = null;
    }
  }
  return postgresIds;
}

/** PostgreSQL refuses to run as root: as root we need a `postgres` user to run it as. */
export function assertCanRunPostgres(): void {
  if (isRoot() && !postgresUser()) {
    throw new TopologyError('running as root but there is no "postgres" user to run PostgreSQL as (PostgreSQL refuses root)');
  }
}

/** Hand a path (and everything under it) to postgres when we are root; no-op otherwise. */
export function giveToPostgres(path: string, recursive = false): void {
  const user = isRoot() ? postgresUser() : null;
  if (!user) return;
  const visit = (p: string) => {
    const st = lstatSync(p);
    if (st.uid !== user.uid || st.gid !== user.gid) chownSync(p, user.uid, user.gid);
    if (recursive && st.isDirectory()) for (const name of readdirSync(p)) visit(join(p, name));
  };
  visit(path);
}

/** Write a file atomically, owned by postgres when we are root. */
export function writeOwnedFile(path: string, content: string, mode = 0o600): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, content, { mode });
  chmodSync(tmp, mode);
  giveToPostgres(tmp);
  renameSync(tmp, path);
}

/** As root, postgres must be able to traverse every folder above `dir`: add o+x where it is missing. */
export function ensureTraversable(dir: string, log: (line: string) => void): void {
  if (!isRoot()) return;
  const root = parse(dir).root;
  const chain: string[] = [];
  for (let d = dirname(dir); d !== root; d = dirname(d)) chain.unshift(d);
  for (const d of chain) {
    let mode: number;
    try {
      mode = statSync(d).mode;
    } catch {
      return; // not created yet: mkdir makes the rest 0755
    }
    if ((mode & 0o001) === 0) {
      chmodSync(d, (mode & 0o7777) | 0o001);
      log(`chmod o+x ${d} (so the postgres user can reach the data folder)`);
    }
  }
}
