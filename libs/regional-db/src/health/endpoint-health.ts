/** What the health monitor knows of one endpoint; the router and failover decide from this. */
export interface EndpointHealth {
  id: string;
  group: string;
  region: string;
  /** Debounced verdict: down after N consecutive failed probes, up after M good ones. */
  isHealthy: boolean;
  /** Role the server itself reports (`pg_is_in_recovery()`); `unknown` until it first answers. */
  role: 'primary' | 'replica' | 'unknown';
  /** A primary fenced read-only (`default_transaction_read_only`) does not take writes. */
  readOnly: boolean;
  timeline: number | null;
  /** Round-trip time of the last probe or lag refresh, and the lowest of the last few, which routing uses. */
  latencyMs: number | null;
  smoothedLatencyMs: number | null;
  /** For replicas: last replayed WAL position, and lag behind the group's primary. */
  replayLsn: string | null;
  /** For primaries: current WAL position at the last probe. */
  currentLsn: string | null;
  replicationLagBytes: number | null;
  replicationLagMs: number | null;
  replayPaused: boolean;
  lastCheckAt: string | null;
  lastError: string | null;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
}
