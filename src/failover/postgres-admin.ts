import { Client } from 'pg';

/**
 * The SQL a failover needs, each call on its own short-lived connection bounded by a deadline that
 * destroys the socket: a frozen server accepts TCP and never answers, and must not stall a failover.
 */
export async function withServer<T>(url: string, timeoutMs: number, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, application_name: 'regional-db-router-failover' });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  client.on('error', () => undefined);
  try {
    return await Promise.race([client.connect().then(() => fn(client)), deadline]);
  } finally {
    clearTimeout(timer);
    void client.end().catch(() => undefined);
  }
}

export interface ServerPosition {
  inRecovery: boolean;
  readOnly: boolean;
  /** Replicas: the highest WAL position received or replayed. Primaries: the current write position. */
  lsn: string | null;
  timeline: number;
}

export function readPosition(url: string, timeoutMs: number): Promise<ServerPosition> {
  return withServer(url, timeoutMs, async (c) => {
    const { rows } = await c.query<{ recovery: boolean; read_only: string; lsn: string | null; timeline: number }>(`
      SELECT pg_is_in_recovery() AS recovery,
             current_setting('default_transaction_read_only') AS read_only,
             CASE WHEN pg_is_in_recovery()
                  THEN greatest(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::text
                  ELSE pg_current_wal_lsn()::text END AS lsn,
             (SELECT timeline_id FROM pg_control_checkpoint()) AS timeline`);
    const row = rows[0];
    return { inRecovery: row.recovery, readOnly: row.read_only === 'on', lsn: row.lsn, timeline: Number(row.timeline) };
  });
}

/** `pg_promote` and wait (server side) until the replica has left recovery. */
export function promote(url: string, timeoutMs: number): Promise<void> {
  const waitSeconds = Math.max(1, Math.floor(timeoutMs / 1000));
  return withServer(url, timeoutMs + 1_000, async (c) => {
    const { rows } = await c.query<{ promoted: boolean }>('SELECT pg_promote(true, $1) AS promoted', [waitSeconds]);
    if (!rows[0].promoted) throw new Error(`promotion did not finish within ${waitSeconds} s`);
  });
}

/** A real write on the (new) primary: proves it accepts writes, and leaves a trace of the epoch. */
export function verifyWrite(url: string, group: string, epoch: number, timeoutMs: number): Promise<string> {
  return withServer(url, timeoutMs, async (c) => {
    await c.query(
      `INSERT INTO "_router_heartbeat" (group_name, epoch, written_at) VALUES ($1, $2, now())
       ON CONFLICT (group_name) DO UPDATE SET epoch = excluded.epoch, written_at = excluded.written_at`,
      [group, epoch],
    );
    const { rows } = await c.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
    return rows[0].lsn;
  });
}

/** primary_conninfo for a replica of the server at `primaryUrl` (libpq keyword syntax, values quoted). */
export function primaryConninfo(primaryUrl: string, applicationName: string): string {
  const url = new URL(primaryUrl);
  const quote = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const parts: [string, string][] = [
    ['host', url.hostname],
    ['port', url.port || '5432'],
    ['user', decodeURIComponent(url.username)],
    ['application_name', applicationName],
  ];
  if (url.password) parts.push(['password', decodeURIComponent(url.password)]);
  const sslmode = url.searchParams.get('sslmode');
  if (sslmode) parts.push(['sslmode', sslmode]);
  return parts.map(([k, v]) => `${k}=${quote(v)}`).join(' ');
}

/** Points a replica at a new primary; it follows the new timeline (`recovery_target_timeline = latest`). */
export function repointReplica(url: string, conninfo: string, timeoutMs: number): Promise<void> {
  return withServer(url, timeoutMs, async (c) => {
    await c.query(`ALTER SYSTEM SET primary_conninfo = ${c.escapeLiteral(conninfo)}`);
    await c.query('SELECT pg_reload_conf()');
  });
}

/**
 * Fences a former primary: read-only by default for every new transaction, and its client sessions ended
 * so none keeps writing. Returns whether it was still writable (a split-brain risk) before.
 */
export function fence(url: string, timeoutMs: number): Promise<{ wasWritable: boolean }> {
  return withServer(url, timeoutMs, async (c) => {
    const { rows } = await c.query<{ recovery: boolean; read_only: string }>(
      `SELECT pg_is_in_recovery() AS recovery, current_setting('default_transaction_read_only') AS read_only`,
    );
    const wasWritable = !rows[0].recovery && rows[0].read_only !== 'on';
    if (!rows[0].recovery) {
      await c.query('ALTER SYSTEM SET default_transaction_read_only = on');
      await c.query('SELECT pg_reload_conf()');
      await c.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()`,
      );
    }
    return { wasWritable };
  });
}

/** Undoes `fence` when a planned switchover gives up before promoting: the old primary takes writes again. */
export function unfence(url: string, timeoutMs: number): Promise<void> {
  return withServer(url, timeoutMs, async (c) => {
    await c.query('ALTER SYSTEM RESET default_transaction_read_only');
    await c.query('SELECT pg_reload_conf()');
  });
}

/** Waits until a replica has replayed up to `lsn` (a planned switchover loses nothing acknowledged). */
export async function waitForReplay(url: string, lsn: string, timeoutMs: number): Promise<void> {
  await withServer(url, timeoutMs, async (c) => {
    const deadline = Date.now() + timeoutMs - 200;
    for (;;) {
      const { rows } = await c.query<{ done: boolean }>('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done', [lsn]);
      if (rows[0].done) return;
      if (Date.now() > deadline) throw new Error(`replica did not replay up to ${lsn} in time`);
      await new Promise((r) => setTimeout(r, 20));
    }
  });
}
