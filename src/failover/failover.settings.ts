import { Inject } from '@nestjs/common';
import type { Environment } from '../config/environment';

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
  /** Where the failover history is kept without Redis. */
  historyFile: string;
}

export const FAILOVER_SETTINGS = Symbol('FAILOVER_SETTINGS');
export const InjectFailoverSettings = () => Inject(FAILOVER_SETTINGS);

export function failoverSettings(env: Environment): FailoverSettings {
  return {
    automatic: env.FAILOVER_AUTOMATIC,
    primaryCheckMs: env.FAILOVER_PRIMARY_CHECK_MS,
    retryMs: env.FAILOVER_RETRY_MS,
    recheckTimeoutMs: env.FAILOVER_RECHECK_TIMEOUT_MS,
    fenceProbeMs: env.FAILOVER_FENCE_PROBE_MS,
    stepTimeoutMs: env.FAILOVER_STEP_TIMEOUT_MS,
    historyFile: env.FAILOVER_HISTORY_FILE,
  };
}
