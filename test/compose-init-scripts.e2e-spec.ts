// docker-compose's replication scripts (deploy/postgres/*.sh) run for real against PostgreSQL 15 on this
// machine: a throwaway primary set up by primary-init.sh as the postgres image would, a replica made by
// replica-entrypoint.sh, then the failover's own SQL run as the app role the script created (no superuser).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { fence, primaryConninfo, promote, readPosition, repointReplica, unfence } from '../src/failover/postgres-admin';
import { eventually } from './support/app';

const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
const PRIMARY_PORT = 57390;
const REPLICA_PORT = 57391;
const SCRIPTS = join(process.cwd(), 'deploy/postgres');
const ROLES = {
  APP_DB_USER: 'app',
  APP_DB_PASSWORD: 'app-secret-1',
  APP_DB_NAME: 'app',
  REPLICATION_USER: 'replicator',
  REPLICATION_PASSWORD: 'repl-secret-2',
};
const appUrl = (port: number) => `postgresql://app:${ROLES.APP_DB_PASSWORD}@127.0.0.1:${port}/app`;

const asRoot = process.getuid?.() === 0;

/** A program as the `postgres` user (runuser when we are root) with exactly these extra variables. */
function asPostgres(cmd: string, args: string[], env: Record<string, string> = {}): string {
  const vars = Object.entries({ PATH: `${BIN}:${process.env.PATH}`, ...env }).map(([k, v]) => `${k}=${v}`);
  const argv = ['env', ...vars, cmd, ...args];
  try {
    return execFileSync(asRoot ? 'runuser' : argv[0], asRoot ? ['-u', 'postgres', '--', ...argv] : argv.slice(1), {
      cwd: '/',
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 30_000,
    });
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${cmd} failed: ${e.stderr || e.stdout || e.message}`);
  }
}

async function query<T extends Record<string, unknown>>(url: string, text: string): Promise<T[]> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

describe('compose replication scripts on a real PostgreSQL 15', () => {
  let dir: string;
  const primaryData = () => join(dir, 'primary');
  const replicaData = () => join(dir, 'replica');
  const pgCtl = (data: string, ...args: string[]) => asPostgres(`${BIN}/pg_ctl`, ['-D', data, '-l', `${data}.log`, ...args]);
  const serverOptions = (port: number) => `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const primaryInit = () =>
    asPostgres(join(SCRIPTS, 'primary-init.sh'), [], {
      ...ROLES,
      POSTGRES_USER: 'postgres',
      PGDATA: primaryData(),
      PGHOST: dir,
      PGPORT: String(PRIMARY_PORT),
    });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'compose-init-'));
    if (asRoot) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'])), Number(execFileSync('id', ['-g', 'postgres'])));
    asPostgres(`${BIN}/initdb`, ['-D', primaryData(), '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']);
    // What another container sees of the image's pg_hba.conf: passwords over the network, no replication.
    writeFileSync(join(primaryData(), 'pg_hba.conf'), 'local all all trust\nhost all all all scram-sha-256\n');
    pgCtl(primaryData(), '-w', '-o', serverOptions(PRIMARY_PORT), 'start');
  });

  afterAll(() => {
    if (!dir) return;
    for (const data of [replicaData(), primaryData()]) {
      try {
        pgCtl(data, '-m', 'immediate', '-w', 'stop');
      } catch {
        // not started
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('primary-init.sh creates the roles, the database, the pg_hba entries and the WAL settings, idempotently', async () => {
    expect(primaryInit()).toContain('replication settings ready');
    expect(primaryInit()).toContain('replication settings ready');
    // The image restarts the server after its init scripts: wal_log_hints needs it.
    pgCtl(primaryData(), '-w', '-o', serverOptions(PRIMARY_PORT), 'restart');

    const hba = readFileSync(join(primaryData(), 'pg_hba.conf'), 'utf8').split('\n');
    expect(hba.filter((l) => l.startsWith('host replication'))).toEqual([
      'host replication replicator all scram-sha-256',
      'host replication app all scram-sha-256',
    ]);
    const [settings] = await query<{ wal_level: string; wal_log_hints: string; super: boolean; owner: string }>(
      appUrl(PRIMARY_PORT),
      `SELECT current_setting('wal_level') AS wal_level, current_setting('wal_log_hints') AS wal_log_hints,
              (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS super,
              (SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()) AS owner`,
    );
    expect(settings).toEqual({ wal_level: 'replica', wal_log_hints: 'on', super: false, owner: 'app' });
  });

  it('replica-entrypoint.sh clones the primary into a streaming replica named by its endpoint id', async () => {
    asPostgres(join(SCRIPTS, 'replica-entrypoint.sh'), [], {
      PGDATA: replicaData(),
      PRIMARY_HOST: '127.0.0.1',
      PRIMARY_PORT: String(PRIMARY_PORT),
      REPLICATION_USER: ROLES.REPLICATION_USER,
      REPLICATION_PASSWORD: ROLES.REPLICATION_PASSWORD,
      REPLICA_NAME: 'us-east-replica-1',
      PRIMARY_WAIT_SECONDS: '10',
      REPLICA_NO_EXEC: '1',
    });
    pgCtl(replicaData(), '-w', '-o', serverOptions(REPLICA_PORT), 'start');

    const [replica] = await query<{ recovery: boolean }>(appUrl(REPLICA_PORT), 'SELECT pg_is_in_recovery() AS recovery');
    expect(replica.recovery).toBe(true);
    const sender = await eventually(async () => {
      const rows = await query<{ usename: string; state: string }>(
        appUrl(PRIMARY_PORT),
        `SELECT usename, state FROM pg_stat_replication WHERE application_name = 'us-east-replica-1'`,
      );
      return rows[0]?.state === 'streaming' && rows[0];
    }, 10_000);
    expect(sender.usename).toBe('replicator');

    await query(appUrl(PRIMARY_PORT), `CREATE TABLE compose_check (note text); INSERT INTO compose_check VALUES ('replicated')`);
    const rows = await eventually(() => query<{ note: string }>(appUrl(REPLICA_PORT), 'SELECT note FROM compose_check').catch(() => null), 10_000);
    expect(rows).toEqual([{ note: 'replicated' }]);
  });

  it("lets the app role do a failover's work: read positions, repoint, fence, unfence, promote", async () => {
    const position = await readPosition(appUrl(REPLICA_PORT), 3_000);
    expect(position).toMatchObject({ inRecovery: true, timeline: 1 });

    // After a failover the replicas stream from the new primary with the app's own credentials.
    await repointReplica(appUrl(REPLICA_PORT), primaryConninfo(appUrl(PRIMARY_PORT), 'us-east-replica-1'), 3_000);
    await eventually(async () => {
      const rows = await query<{ usename: string; state: string }>(
        appUrl(PRIMARY_PORT),
        `SELECT usename, state FROM pg_stat_replication WHERE application_name = 'us-east-replica-1'`,
      );
      return rows[0]?.usename === 'app' && rows[0].state === 'streaming';
    }, 10_000);

    expect(await fence(appUrl(PRIMARY_PORT), 3_000)).toEqual({ wasWritable: true });
    const [fenced] = await query<{ ro: string }>(appUrl(PRIMARY_PORT), `SELECT current_setting('default_transaction_read_only') AS ro`);
    expect(fenced.ro).toBe('on');
    await unfence(appUrl(PRIMARY_PORT), 3_000);

    await promote(appUrl(REPLICA_PORT), 10_000);
    expect(await readPosition(appUrl(REPLICA_PORT), 3_000)).toMatchObject({ inRecovery: false });
    await query(appUrl(REPLICA_PORT), `INSERT INTO compose_check VALUES ('written on the promoted replica')`);
  });
});
