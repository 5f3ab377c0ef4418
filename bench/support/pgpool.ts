// pgpool-II (Debian's `pgpool2`) on loopback in front of one replication group, load-balancing reads over its
// replicas: a peer to measure the router against. Absent binary: null (the bench says it skipped it).
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import type { ReplicationGroupConfig } from '@regional-db/nestjs';

const PGPOOL = '/usr/sbin/pgpool';

export interface Pgpool {
  /** The group's application URL, through pgpool. */
  url: string;
  stop(): Promise<void>;
}

/** Starts pgpool on `port` (and `port + 1` for PCP) in front of `group`; resolves once it answers queries. */
export async function startPgpool(group: ReplicationGroupConfig, port: number, dir: string): Promise<Pgpool | null> {
  if (!existsSync(PGPOOL)) return null;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const primary = new URL(group.primary.url);
  const backends = [group.primary, ...group.replicas].map((e, i) => {
    const url = new URL(e.url);
    // Reads go to the replicas only, as the router's do.
    return [`backend_hostname${i} = '${url.hostname}'`, `backend_port${i} = ${url.port}`, `backend_weight${i} = ${i === 0 ? 0 : 1}`, `backend_flag${i} = 'DISALLOW_TO_FAILOVER'`];
  });
  writeFileSync(
    join(dir, 'pgpool.conf'),
    [
      "listen_addresses = '127.0.0.1'",
      `port = ${port}`,
      `pcp_port = ${port + 1}`,
      `unix_socket_directories = '${dir}'`,
      `pcp_socket_dir = '${dir}'`,
      `pid_file_name = '${join(dir, 'pgpool.pid')}'`,
      `logdir = '${dir}'`,
      "backend_clustering_mode = 'streaming_replication'",
      'load_balance_mode = on',
      'statement_level_load_balance = on',
      'num_init_children = 64',
      'max_pool = 1',
      'sr_check_period = 0',
      'health_check_period = 0',
      'failover_on_backend_error = off',
      'enable_pool_hba = on',
      `pool_passwd = '${join(dir, 'pool_passwd')}'`,
      ...backends.flat(),
    ].join('\n') + '\n',
  );
  writeFileSync(join(dir, 'pool_hba.conf'), 'host all all 127.0.0.1/32 scram-sha-256\n');
  writeFileSync(join(dir, 'pool_passwd'), `${decodeURIComponent(primary.username)}:TEXT${decodeURIComponent(primary.password)}\n`, { mode: 0o600 });
  writeFileSync(join(dir, 'pcp.conf'), '');
  const child: ChildProcess = spawn(PGPOOL, ['-n', '-f', join(dir, 'pgpool.conf'), '-a', join(dir, 'pool_hba.conf'), '-F', join(dir, 'pcp.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => (log = (log + chunk).slice(-4000)));
  const url = new URL(group.primary.url);
  url.port = String(port);
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGINT');
      await new Promise((r) => child.once('exit', r));
    }
  };
  for (let attempt = 0; ; attempt++) {
    const client = new Client({ connectionString: url.toString(), connectionTimeoutMillis: 2_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return { url: url.toString(), stop };
    } catch (error) {
      await client.end().catch(() => undefined);
      if (attempt >= 50 || child.exitCode !== null) {
        await stop();
        throw new Error(`pgpool did not start on ${port}: ${(error as Error).message}\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

export function pgpoolVersion(): string | null {
  try {
    return execFileSync(PGPOOL, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}
