import { Client } from 'pg';
import type { EndpointConfig } from '../config/topology.types';

/**
 * Runs `fn` on a short-lived connection bounded by a deadline that destroys the socket: a frozen server
 * accepts TCP and never answers, and must not stall a failover. The client's 'error' is handled: a server
 * that dies (or fences) under us ends the session, never the process.
 */
export async function withServer<T>(url: string, applicationName: string, timeoutMs: number, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, application_name: applicationName });
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

/** What a server says about itself, asked by the failover's own role. */
export interface ServerPosition {
  inRecovery: boolean;
  /** The application's database refuses every connection (a fenced former primary). */
  fenced: boolean;
  /** Replicas: the highest WAL position received or replayed. Primaries: the current write position. */
  lsn: string | null;
  /**
   * A primary's timeline is the one its current WAL file is named after: right at once after a promotion,
   * unlike `pg_control_checkpoint()`, which shows the old one until the next checkpoint. A replica's is the
   * one it receives (null when its WAL receiver is not running).
   */
  timeline: number | null;
  /** A replica's WAL receiver status (`streaming`, ...), null when it has none. */
  receiver: string | null;
}

const POSITION_SQL = `SELECT s.recovery,
  (SELECT NOT datallowconn FROM pg_database WHERE datname = $1) AS fenced,
  (CASE WHEN s.recovery THEN greatest(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()) ELSE pg_current_wal_lsn() END)::text AS lsn,
  CASE WHEN s.recovery THEN (SELECT received_tli FROM pg_stat_wal_receiver)
       ELSE ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int END AS timeline,
  (SELECT status FROM pg_stat_wal_receiver) AS receiver
FROM (SELECT pg_is_in_recovery() AS recovery) s`;

/** The application's database name in an endpoint's URL. */
export function databaseOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
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

/**
 * The SQL a failover runs against one server, as the failover's least-privileged role (`adminUrl`): read its
 * state, promote it, repoint it, fence it. Only `verifyWrite` uses the application's own role: it proves
 * the application can write.
 */
export class ServerAdmin {
  private readonly database: string;

  constructor(
    readonly endpoint: EndpointConfig,
    private readonly applicationName: string,
  ) {
    this.database = databaseOf(endpoint.url);
  }

  position(timeoutMs: number): Promise<ServerPosition> {
    return this.run(timeoutMs, async (c) => {
      const { rows } = await c.query<{ recovery: boolean; fenced: boolean | null; lsn: string | null; timeline: number | null; receiver: string | null }>(
        POSITION_SQL,
        [this.database],
      );
      const row = rows[0];
      return {
        inRecovery: row.recovery,
        fenced: row.fenced === true,
        lsn: row.lsn,
        timeline: row.timeline === null ? null : Number(row.timeline),
        receiver: row.receiver,
      };
    });
  }

  /**
   * `pg_promote`, then asks every 10 ms whether the replica has left recovery: `pg_promote`'s own wait looks
   * only every 100 ms, a tenth of a second of write outage for nothing.
   */
  promote(timeoutMs: number): Promise<void> {
    return this.run(timeoutMs + 1_000, async (c) => {
      const deadline = Date.now() + timeoutMs;
      const { rows } = await c.query<{ signalled: boolean }>('SELECT pg_promote(false) AS signalled');
      if (!rows[0].signalled) throw new Error('the server refused to promote');
      while ((await c.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r')).rows[0].r) {
        if (Date.now() > deadline) throw new Error(`promotion did not finish within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 10));
      }
    });
  }

  /** A real write as the application (proves the new primary takes its writes), with a trace of the epoch. */
  verifyWrite(group: string, epoch: number, timeoutMs: number): Promise<string> {
    return withServer(this.endpoint.url, this.applicationName, timeoutMs, async (c) => {
      await c.query(
        `INSERT INTO "_router_heartbeat" (group_name, epoch, written_at) VALUES ($1, $2, now())
         ON CONFLICT (group_name) DO UPDATE SET epoch = excluded.epoch, written_at = excluded.written_at`,
        [group, epoch],
      );
      const { rows } = await c.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
      return rows[0].lsn;
    });
  }

  /** Points this replica at a new primary; it follows the new timeline (`recovery_target_timeline = latest`). */
  repointTo(primary: EndpointConfig, timeoutMs: number): Promise<void> {
    const conninfo = primaryConninfo(primary.adminUrl, this.endpoint.id);
    return this.run(timeoutMs, async (c) => {
      await c.query(`ALTER SYSTEM SET primary_conninfo = ${c.escapeLiteral(conninfo)}`);
      await c.query('SELECT pg_reload_conf()');
    });
  }

  /**
   * Fences a former primary: its application database accepts no new connection from anyone
   * (`ALLOW_CONNECTIONS false`, a catalog flag no client of that database can undo: it cannot connect to it,
   * and only the database's owner may change it), and every session on it is ended. A default such as
   * `default_transaction_read_only` is no fence: any client may `SET` it off or `BEGIN READ WRITE`.
   * `pg_rewind` (rejoin) brings the new primary's catalog back, so a rejoined server is open again.
   * Returns whether it was still writable (a split-brain risk) before; a writable server is left alone when
   * `stillFormer` says it is not a former primary after all.
   */
  fence(timeoutMs: number, stillFormer: () => Promise<boolean> = async () => true): Promise<{ wasWritable: boolean }> {
    return this.run(timeoutMs, async (c) => {
      const { rows } = await c.query<{ recovery: boolean; open: boolean }>(
        'SELECT pg_is_in_recovery() AS recovery, datallowconn AS open FROM pg_database WHERE datname = $1',
        [this.database],
      );
      if (!rows[0]) throw new Error(`database "${this.database}" does not exist on ${this.endpoint.id}`);
      const { recovery, open } = rows[0];
      // `stillFormer`: asked only of a writable server, on this same connection (one handshake, not two).
      if (!recovery && open && !(await stillFormer())) return { wasWritable: false };
      if (!recovery) {
        if (open) await c.query(`ALTER DATABASE ${c.escapeIdentifier(this.database)} WITH ALLOW_CONNECTIONS false`);
        await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [this.database]);
      }
      return { wasWritable: !recovery && open };
    });
  }

  /** Undoes `fence` when a planned switchover gives up before promoting: the old primary takes writes again. */
  unfence(timeoutMs: number): Promise<void> {
    return this.run(timeoutMs, async (c) => {
      await c.query(`ALTER DATABASE ${c.escapeIdentifier(this.database)} WITH ALLOW_CONNECTIONS true`);
    });
  }

  /** Waits until this replica has replayed up to `lsn` (a planned switchover loses nothing acknowledged). */
  waitForReplay(lsn: string, timeoutMs: number): Promise<void> {
    return this.run(timeoutMs, async (c) => {
      const deadline = Date.now() + timeoutMs - 200;
      for (;;) {
        const { rows } = await c.query<{ done: boolean }>('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done', [lsn]);
        if (rows[0].done) return;
        if (Date.now() > deadline) throw new Error(`replica did not replay up to ${lsn} in time`);
        await new Promise((r) => setTimeout(r, 20));
      }
    });
  }

  private run<T>(timeoutMs: number, fn: (client: Client) => Promise<T>): Promise<T> {
    return withServer(this.endpoint.adminUrl, this.applicationName, timeoutMs, fn);
  }
}
