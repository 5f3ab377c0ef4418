import { envBool, envInt } from '../config/env';

export interface FailoverSettings {
  /** Promote automatically when a primary is confirmed down. */
  automatic: boolean;
  /** How often each group's primary is checked between health rounds: detection must not wait 30 s. */
  primaryCheckMs: number;
  /** A primary still down after a failover that could not run is tried again this often. */
  retryMs: number;
  /** How long the last look at a failed primary waits before promoting (a frozen one never answers). */
  recheckTimeoutMs: number;
  /** How often a server that may come back writable (a former primary) is tried, to fence it at once. */
  fenceProbeMs: number;
  /** Bound of each SQL step (position, fence, repoint) against one server. */
  stepTimeoutMs: number;
}

export function failoverSettings(env: NodeJS.ProcessEnv = process.env): FailoverSettings {
  return {
    automatic: envBool(env, 'FAILOVER_AUTOMATIC', true),
    primaryCheckMs: envInt(env, 'FAILOVER_PRIMARY_CHECK_MS', 1_000, 100, 600_000),
    retryMs: envInt(env, 'FAILOVER_RETRY_MS', 10_000, 100, 3_600_000),
    recheckTimeoutMs: envInt(env, 'FAILOVER_RECHECK_TIMEOUT_MS', 500, 50, 60_000),
    fenceProbeMs: envInt(env, 'FAILOVER_FENCE_PROBE_MS', 25, 10, 200),
    stepTimeoutMs: envInt(env, 'FAILOVER_STEP_TIMEOUT_MS', 2_000, 100, 600_000),
  };
}
