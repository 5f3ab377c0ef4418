import { Client } from 'pg';
import { redactSecrets } from '../config/redact';
import { inBackground } from '../logging/background';
import type { EndpointConfig, PoolSettings, SslMode } from '../config/topology.types';
import { poolConfig } from '../database/endpoint-connection';
import type { ConcurrencyLimit } from '../common/concurrency-limit';

/**
 * Everything a probe learns, in one round trip. `pg_is_in_recovery()` is read once; the functions valid only
 * on a primary (`pg_current_wal_lsn`, `pg_walfile_name`) or only on a replica (`pg_last_wal_replay_lsn`,
 * `pg_is_wal_replay_paused`) are each behind a CASE on it. A primary's timeline is the one its current WAL
 * file is named after (correct right after a promotion, unlike the last checkpoint's); a replica's is the
 * one it receives, or its last restartpoint's when the WAL receiver is not running.
 */
export const PROBE_SQL = `SELECT s.in_recovery,
  CASE WHEN s.in_recovery
    THEN COALESCE((SELECT received_tli FROM pg_stat_wal_receiver), (pg_control_checkpoint()).timeline_id)
    ELSE ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int
  END AS timeline,
  (CASE WHEN s.in_recovery THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END)::text AS lsn,
  CASE WHEN s.in_recovery THEN pg_is_wal_replay_paused() ELSE false END AS replay_paused,
  CASE WHEN s.in_recovery THEN (extract(epoch FROM now() - pg_last_xact_replay_timestamp()) * 1000)::float8 END AS replay_age_ms,
  current_setting('default_transaction_read_only') = 'on' AS read_only
FROM (SELECT pg_is_in_recovery() AS in_recovery) s`;

/** A replica's replay position or a primary's current one: what lag refreshes between rounds read. */
export const POSITION_SQL = `SELECT s.in_recovery,
  (CASE WHEN s.in_recovery THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END)::text AS lsn
FROM (SELECT pg_is_in_recovery() AS in_recovery) s`;

interface PositionRow {
  in_recovery: boolean;
  lsn: string | null;
}

interface ProbeRow {
  in_recovery: boolean;
  timeline: number | null;
  lsn: string | null;
  replay_paused: boolean;
  replay_age_ms: number | null;
  read_only: boolean;
}

export interface ServerState {
  inRecovery: boolean;
  timeline: number | null;
  /** Current WAL position on a primary, last replayed one on a replica. */
  lsn: string | null;
  replayPaused: boolean;
  /** `now() - pg_last_xact_replay_timestamp()`: informative only, it grows while the primary is idle. */
  replayTimestampAgeMs: number | null;
  readOnly: boolean;
}

type Sample<T> = ({ reachable: true; at: number; latencyMs: number } & T) | { reachable: false; at: number; latencyMs: number; error: string };

export type ProbeSample = Sample<ServerState>;
export type PositionSample = Sample<Pick<ServerState, 'inRecovery' | 'lsn'>>;

export class ProbeTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms (probe timeout)`);
    this.name = 'ProbeTimeoutError';
  }
}

/** How many connect timeouts a probe query that timed out may still answer in, on a connection kept for it. */
const LATE_ANSWER_FACTOR = 5;

export class ConnectTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`no connection within ${timeoutMs} ms (connect timeout)`);
    this.name = 'ConnectTimeoutError';
  }
}

/**
 * One endpoint's probe connection: its own `pg` client, not a pool connection (a full pool must not make
 * a server look dead), kept open between probes so a probe is one round trip. Every probe is bounded: on
 * expiry the socket is destroyed (a stopped server accepts TCP and never answers) and the next probe
 * reconnects. Never throws: a failure is a sample.
 */
export class EndpointProber {
  private client: Client | null = null;
  private connected = false;
  private probing = false;
  private closed = false;
  /** A query that outlived its probe's timeout, still awaited on the connection (never queued behind). */
  private late: Promise<unknown> | null = null;

  constructor(
    readonly endpoint: EndpointConfig,
    private readonly pool: PoolSettings,
    private readonly ssl: SslMode,
    private readonly applicationName: string,
    /** Shared by every prober of the instance: how many connections are opened at once. */
    private readonly gate: ConcurrencyLimit,
    private readonly connectTimeoutMs: number,
    /** The open connection broke between probes (server shut down, connection killed). */
    private readonly onIdleConnectionLost: () => void,
  ) {}

  probe(timeoutMs: number): Promise<ProbeSample> {
    return this.bounded<ProbeRow, ServerState>(PROBE_SQL, timeoutMs, serverState);
  }

  /** Only the WAL position: one cheap round trip, for lag refreshes between rounds. */
  position(timeoutMs: number): Promise<PositionSample> {
    return this.bounded<PositionRow, Pick<ServerState, 'inRecovery' | 'lsn'>>(POSITION_SQL, timeoutMs, (row) => ({ inRecovery: row.in_recovery, lsn: row.lsn }));
  }

  private async bounded<Row, T>(sql: string, timeoutMs: number, read: (row: Row) => T): Promise<Sample<T>> {
    const at = Date.now();
    const started = performance.now();
    if (this.closed) return { reachable: false, at, latencyMs: 0, error: 'health monitor stopped' };
    if (this.late) return { reachable: false, at, latencyMs: 0, error: `no answer yet to the previous probe (probe timeout ${timeoutMs} ms)` };
    this.probing = true;
    let timer: NodeJS.Timeout | undefined;
    let client: Client | null = null;
    let query: Promise<unknown> | null = null;
    try {
      // Connecting is bounded by its own timeout, and waiting for a turn to connect by nothing but the others'
      // timeouts: the probe's timeout starts when the query is sent, so it measures the server.
      client = this.client && this.connected ? this.client : await this.gate.run(() => this.connect());
      const expired = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ProbeTimeoutError(timeoutMs)), timeoutMs);
      });
      const sent = performance.now();
      const pending = client.query(sql);
      query = pending;
      const { rows } = await Promise.race([pending, expired]);
      return { reachable: true, at, latencyMs: performance.now() - sent, ...read(rows[0] as Row) };
    } catch (error) {
      if (error instanceof ProbeTimeoutError && client && query) this.awaitLateAnswer(client, query);
      else this.discard();
      return { reachable: false, at, latencyMs: performance.now() - started, error: describeError(error) };
    } finally {
      clearTimeout(timer);
      this.probing = false;
    }
  }

  /**
   * A probe timed out: the server is slow (a busy host) or frozen. The connection is kept while the answer may
   * still come (`LATE_ANSWER_FACTOR` connect timeouts; the server's own statement_timeout ends the query then), and
   * probes meanwhile fail at once: a busy server is not made busier by a reconnection (a SCRAM handshake) per
   * probe, a frozen one is judged as fast as before, and its connection is destroyed when the grace is over.
   */
  private awaitLateAnswer(client: Client, query: Promise<unknown>): void {
    this.late = query;
    const done = (keep: boolean) => {
      clearTimeout(giveUp);
      if (this.late === query) this.late = null;
      if (!keep && this.client === client) this.discard();
    };
    const giveUp = setTimeout(() => done(false), this.connectTimeoutMs * LATE_ANSWER_FACTOR);
    giveUp.unref();
    query.then(() => done(true), () => done(false));
  }

  /** Closes the connection; later probes fail at once. */
  async close(): Promise<void> {
    this.closed = true;
    this.late = null;
    const client = this.client;
    if (!client) return;
    // A polite Terminate for a live server; a frozen one gets its socket destroyed after a short wait.
    await Promise.race([client.end().catch(() => undefined), new Promise((r) => setTimeout(r, 200).unref())]);
    this.discard();
  }

  private async connect(): Promise<Client> {
    this.discard();
    const client = new Client({
      ...poolConfig(this.endpoint.url, this.pool, this.ssl, this.applicationName),
      connectionTimeoutMillis: this.connectTimeoutMs,
      // The server gives up on a late probe query when the prober stops waiting for it.
      statement_timeout: this.connectTimeoutMs * LATE_ANSWER_FACTOR,
      query_timeout: undefined,
    });
    this.client = client;
    const lost = () => {
      if (this.client !== client) return;
      const wasIdle = this.connected && !this.probing;
      this.discard();
      if (wasIdle && !this.closed) this.onIdleConnectionLost();
    };
    client.on('error', lost);
    client.on('end', lost);
    // Opened outside any request (an on-demand round may run in one): what the socket reports later is no request's.
    await inBackground(() => client.connect()).catch((error: Error) => {
      // pg says only "timeout expired": a server that accepts TCP and never answers the handshake (frozen).
      throw error?.message === 'timeout expired' ? new ConnectTimeoutError(this.connectTimeoutMs) : error;
    });
    this.connected = true;
    return client;
  }

  /** Drops the connection without waiting for the server: the socket is destroyed. */
  private discard(): void {
    const client = this.client;
    this.client = null;
    this.connected = false;
    (client as unknown as { connection?: { stream?: { destroy(): void } } } | null)?.connection?.stream?.destroy();
  }
}

function serverState(row: ProbeRow): ServerState {
  return {
    inRecovery: row.in_recovery,
    timeline: row.timeline,
    lsn: row.lsn,
    replayPaused: row.replay_paused,
    replayTimestampAgeMs: row.replay_age_ms === null ? null : Math.max(0, row.replay_age_ms),
    readOnly: row.read_only,
  };
}

function describeError(error: unknown): string {
  const e = error as { message?: string; code?: string };
  const message = e?.message || String(error);
  return redactSecrets(e?.code && !message.includes(e.code) ? `${message} (${e.code})` : message);
}
