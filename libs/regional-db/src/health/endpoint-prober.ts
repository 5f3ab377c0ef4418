import { Client } from 'pg';
import { redactSecrets } from '../config/redact';
import { inBackground } from '../logging/background';
import type { EndpointConfig, PoolSettings, SslMode } from '../config/topology.types';
import { poolConfig } from '../database/endpoint-connection';
import type { ConcurrencyLimit } from '../common/concurrency-limit';
import { eventLoopWatch } from '../common/event-loop-watch';
import { InconclusiveWaitError, TimedOut, waitWithin, Waited } from './judged-wait';

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

/**
 * An unreachable sample; `inconclusive` when our own timer fired too late to judge the server (the event loop was
 * blocked or starved: see `probeVerdict`), which counts neither toward down nor toward up.
 */
type Unreachable = { reachable: false; at: number; latencyMs: number; error: string; inconclusive?: true; loopDelayMs?: number };
/** `loopSkewed`: the answer was read after a stall of our own loop, so `latencyMs` is ours as much as the server's. */
type Sample<T> = ({ reachable: true; at: number; latencyMs: number; loopSkewed?: true } & T) | Unreachable;

export type ProbeSample = Sample<ServerState>;
export type PositionSample = Sample<Pick<ServerState, 'inRecovery' | 'lsn'>>;

export class ProbeTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms (probe timeout)`);
    this.name = 'ProbeTimeoutError';
  }
}

/** An answer read after a stall of our loop this long, and this share of its round trip, does not measure the server's round trip. */
const SKEW_MIN_MS = 10;
const SKEW_SHARE = 0.2;

/** How many connect timeouts a probe query that timed out may still answer in, on a connection kept for it. */
const LATE_ANSWER_FACTOR = 5;

export class ConnectTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`no connection within ${timeoutMs} ms (connect timeout)`);
    this.name = 'ConnectTimeoutError';
  }
}

/** A query that outlived its probe's timeout, still awaited on the connection (never queued behind). */
interface LateQuery {
  query: Promise<unknown>;
  /** The server had its fair wait (`failed`): later probes fail at once. Else our own loop was late: it is waited on again. */
  fair: boolean;
}

/**
 * One endpoint's probe connection: its own `pg` client, not a pool connection (a full pool must not make
 * a server look dead), kept open between probes so a probe is one round trip. Every probe is bounded: on
 * expiry the socket is destroyed (a stopped server accepts TCP and never answers) and the next probe
 * reconnects. Never throws: a failure is a sample. A timeout our own event loop made (`probeVerdict`) is an
 * inconclusive sample, and what it waited for (the query, the handshake) is waited on again by the next probe.
 */
export class EndpointProber {
  private client: Client | null = null;
  private connected = false;
  private probing = false;
  private closed = false;
  private late: LateQuery | null = null;
  /** A handshake whose wait our own late timer cut short, still under way: the next probe waits on it again. */
  private opening: Promise<Client> | null = null;

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
    const unreachable = (error: string): Unreachable => ({ reachable: false, at, latencyMs: performance.now() - started, error });
    const inconclusive = (what: string, w: TimedOut): Unreachable => ({
      ...unreachable(new InconclusiveWaitError(what, w).message),
      inconclusive: true,
      loopDelayMs: Math.max(w.loopDelayMs, w.elapsedMs - w.askedMs),
    });
    if (this.closed) return { reachable: false, at, latencyMs: 0, error: 'health monitor stopped' };
    if (this.late?.fair) return { reachable: false, at, latencyMs: 0, error: `no answer yet to the previous probe (probe timeout ${timeoutMs} ms)` };
    this.probing = true;
    try {
      const late = this.late;
      if (late) {
        // The last wait for this query was cut short by our own late timer: it gets a fair one now, then this probe's query goes.
        const waited = await waitWithin(late.query, timeoutMs);
        if (!waited.done) {
          if (waited.verdict === 'inconclusive') return inconclusive('previous probe still unanswered', waited);
          if (this.late === late) late.fair = true;
          return unreachable(`no answer to the previous probe within a further ${timeoutMs} ms (probe timeout)`);
        }
      }
      // Connecting is bounded by its own timeout, and waiting for a turn to connect by nothing but the others'
      // timeouts: the probe's timeout starts when the query is sent, so it measures the server.
      let client: Client;
      if (this.client && this.connected) client = this.client;
      else {
        const opened = await this.open();
        if (!opened.done) return inconclusive('connecting', opened);
        client = opened.value;
      }
      const sent = performance.now();
      const pending = client.query(sql);
      const waited = await waitWithin(pending, timeoutMs);
      if (waited.done) {
        const latencyMs = performance.now() - sent;
        const stalledMs = eventLoopWatch.stalledMs(sent);
        const skewed = stalledMs > SKEW_MIN_MS && stalledMs > latencyMs * SKEW_SHARE;
        return { reachable: true, at, latencyMs, ...(skewed && { loopSkewed: true as const }), ...read(waited.value.rows[0] as Row) };
      }
      this.awaitLateAnswer(client, pending, waited.verdict === 'failed');
      if (waited.verdict === 'inconclusive') return inconclusive('probe query', waited);
      return unreachable(new ProbeTimeoutError(timeoutMs).message);
    } catch (error) {
      this.discard();
      return unreachable(describeError(error));
    } finally {
      this.probing = false;
    }
  }

  /**
   * A probe timed out: the server is slow (a busy host) or frozen, or (not `fair`) our own loop was too late to
   * tell. The connection is kept while the answer may still come (`LATE_ANSWER_FACTOR` connect timeouts; the
   * server's own statement_timeout ends the query then). After a fair timeout, probes meanwhile fail at once: a
   * busy server is not made busier by a reconnection (a SCRAM handshake) per probe, a frozen one is judged as fast
   * as before, and its connection is destroyed when the grace is over.
   */
  private awaitLateAnswer(client: Client, query: Promise<unknown>, fair: boolean): void {
    const late: LateQuery = { query, fair };
    this.late = late;
    const done = (keep: boolean) => {
      clearTimeout(giveUp);
      if (this.late === late) this.late = null;
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
    this.opening = null;
    const client = this.client;
    if (!client) return;
    // A polite Terminate for a live server; a frozen one gets its socket destroyed after a short wait.
    await Promise.race([client.end().catch(() => undefined), new Promise((r) => setTimeout(r, 200).unref())]);
    this.discard();
  }

  /** A connection, or an inconclusive wait for one; throws when the server refused, failed or had its fair wait. */
  private open(): Promise<Waited<Client>> {
    // A handshake our own late timer cut short is given a fair wait now, not replaced by a new one.
    if (this.opening) return this.judgeOpening(this.opening);
    return this.gate.run(() => this.judgeOpening(this.connect()));
  }

  private async judgeOpening(opening: Promise<Client>): Promise<Waited<Client>> {
    this.opening = null;
    const waited = await waitWithin(opening, this.connectTimeoutMs);
    if (waited.done) return waited;
    if (waited.verdict === 'inconclusive' && !this.closed) {
      // Kept for the next probe; its turn in the gate is given back meanwhile (only a starved process gets here).
      this.opening = opening;
      return waited;
    }
    // A server that accepts TCP and never answers the handshake (frozen).
    this.discard();
    throw new ConnectTimeoutError(this.connectTimeoutMs);
  }

  /** Starts a handshake, unbounded: `judgeOpening` bounds the wait (pg's own timer would not know a late firing). */
  private connect(): Promise<Client> {
    this.discard();
    const client = new Client({
      ...poolConfig(this.endpoint.url, this.pool, this.ssl, this.applicationName),
      connectionTimeoutMillis: 0,
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
    const opening: Promise<Client> = inBackground(() => client.connect()).then(() => {
      if (this.opening === opening) this.opening = null;
      if (this.client === client) this.connected = true;
      return client;
    });
    // A carried handshake may fail while no probe waits on it: dropped here, never an unhandled rejection.
    opening.catch(() => {
      if (this.opening === opening) this.opening = null;
      if (this.client === client) this.discard();
    });
    return opening;
  }

  /** Drops the connection without waiting for the server: the socket is destroyed. */
  private discard(): void {
    const client = this.client;
    this.client = null;
    this.connected = false;
    this.opening = null;
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
