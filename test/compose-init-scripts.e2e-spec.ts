// docker-compose's replication scripts (deploy/postgres/*.sh) run for real against PostgreSQL 15 on this
// machine: a throwaway primary set up by primary-init.sh as the postgres image would, a replica made by
// replica-entrypoint.sh, then the failover's own SQL run as the failover role the script created (no superuser).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { EndpointConfig } from '../libs/regional-db/src/config/topology.types';
import { ServerAdmin } from '../libs/regional-db/src/failover/postgres-admin';
import { eventually } from './support/app';

const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
const PRIMARY_PORT = 27390;
const REPLICA_PORT = 27391;
const SCRIPTS = join(process.cwd(), 'deploy/postgres');
const ROLES = {
  APP_DB_USER: 'app',
  APP_DB_PASSWORD: 'app-secret-1',
  APP_DB_NAME: 'app',
  FAILOVER_DB_USER: 'router_admin',
  FAILOVER_DB_PASSWORD: 'failover-secret-3',
  REPLICATION_USER: 'replicator',
  REPLICATION_PASSWORD: 'repl-secret-2',
};
const appUrl = (port: number) => `postgresql://app:${ROLES.APP_DB_PASSWORD}@127.0.0.1:${port}/app`;
const adminUrl = (port: number) => `postgresql://router_admin:${ROLES.FAILOVER_DB_PASSWORD}@127.0.0.1:${port}/postgres`;
const admin = (id: string, port: number) => {
  const endpoint: EndpointConfig = {
    id, group: 'us-east', region: 'us-east', url: appUrl(port), adminUrl: adminUrl(port), configuredRole: 'replica', roles: ['read'], priority: 1,
  };
  return new ServerAdmin(endpoint, 'compose-init-test');
};

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
  client.on('error', () => undefined);
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
      'host replication router_admin all scram-sha-256',
    ]);
    const [settings] = await query<{ wal_level: string; wal_log_hints: string; super: boolean; owner: string }>(
      appUrl(PRIMARY_PORT),
      `SELECT current_setting('wal_level') AS wal_level, current_setting('wal_log_hints') AS wal_log_hints,
              (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS super,
              (SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()) AS owner`,
    );
    expect(settings).toEqual({ wal_level: 'replica', wal_log_hints: 'on', super: false, owner: 'router_admin' });
    const [failover] = await query<{ super: boolean }>(adminUrl(PRIMARY_PORT), 'SELECT rolsuper AS super FROM pg_roles WHERE rolname = current_user');
    expect(failover.super).toBe(false);
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

  it("lets the failover role do a failover's work: read positions, repoint, fence, unfence, promote", async () => {
    const replica = admin('us-east-replica-1', REPLICA_PORT);
    const primary = admin('us-east-primary', PRIMARY_PORT);
    expect(await replica.position(3_000)).toMatchObject({ inRecovery: true, fenced: false, timeline: 1, receiver: 'streaming' });

    // After a failover the replicas stream from the new primary with the failover role's credentials.
    await replica.repointTo(primary.endpoint, 3_000);
    await eventually(async () => {
      const rows = await query<{ usename: string; state: string }>(
        appUrl(PRIMARY_PORT),
        `SELECT usename, state FROM pg_stat_replication WHERE application_name = 'us-east-replica-1'`,
      );
      return rows[0]?.usename === 'router_admin' && rows[0].state === 'streaming';
    }, 10_000);

    expect(await primary.fence(3_000)).toEqual({ wasWritable: true });
    await expect(query(appUrl(PRIMARY_PORT), 'SELECT 1')).rejects.toThrow(/not currently accepting connections/);
    expect(await primary.position(3_000)).toMatchObject({ inRecovery: false, fenced: true });
    await primary.unfence(3_000);
    await query(appUrl(PRIMARY_PORT), `INSERT INTO compose_check VALUES ('unfenced')`);

    await replica.promote(10_000);
    expect(await replica.position(3_000)).toMatchObject({ inRecovery: false, timeline: 2 });
    await query(appUrl(REPLICA_PORT), `INSERT INTO compose_check VALUES ('written on the promoted replica')`);
  });
});
