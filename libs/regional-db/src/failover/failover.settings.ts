import { Inject } from '@nestjs/common';
import { dirname, join, resolve } from 'node:path';
import type { RegionalDatabaseSettings } from '../config/regional-database.settings';

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

export function failoverSettings(env: RegionalDatabaseSettings): FailoverSettings {
  return {
    automatic: env.FAILOVER_AUTOMATIC,
    primaryCheckMs: env.FAILOVER_PRIMARY_CHECK_MS,
    retryMs: env.FAILOVER_RETRY_MS,
    recheckTimeoutMs: env.FAILOVER_RECHECK_TIMEOUT_MS,
    fenceProbeMs: env.FAILOVER_FENCE_PROBE_MS,
    stepTimeoutMs: env.FAILOVER_STEP_TIMEOUT_MS,
    historyFile: failoverHistoryFile(env),
  };
}

/**
 * Where a single instance without Redis keeps its history: `FAILOVER_HISTORY_FILE`, else beside the topology
 * file (a local topology's folder, which `topology down` removes with it), else `.local/`. History belongs
 * to the servers it happened to: a new topology must not inherit an old one's failovers.
 */
export function failoverHistoryFile(env: Pick<RegionalDatabaseSettings, 'FAILOVER_HISTORY_FILE' | 'TOPOLOGY_FILE'>): string {
  if (env.FAILOVER_HISTORY_FILE) return resolve(env.FAILOVER_HISTORY_FILE);
  if (env.TOPOLOGY_FILE) return join(dirname(resolve(env.TOPOLOGY_FILE)), 'failover-history.jsonl');
  return resolve('.local/failover-history.jsonl');
}
