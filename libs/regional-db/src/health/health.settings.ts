import { Inject } from '@nestjs/common';
import type { RegionalDatabaseSettings } from '../config/regional-database.settings';

/** How endpoints are probed and judged (the `HEALTH_*` settings). */
export interface HealthSettings {
  /** Bound on one probe's query on an open connection: the server's answer, not a queue's. */
  probeTimeoutMs: number;
  /** Bound on opening a probe connection (a hung server accepts TCP and never answers the handshake). */
  connectTimeoutMs: number;
  /** Probe connections being opened at once, per instance (they stay open between rounds). */
  connectConcurrency: number;
  failuresToDown: number;
  successesToUp: number;
  /** Pause between re-probes while a verdict is being confirmed (after a live query failed, or a probe disagreed). */
  fastRetryMs: number;
  /** Between rounds, every group's WAL positions are read this often so the lag bound holds (one cheap query per endpoint). */
  lagRefreshMs: number;
}

export const HEALTH_SETTINGS = Symbol('HEALTH_SETTINGS');
export const InjectHealthSettings = () => Inject(HEALTH_SETTINGS);

export function healthSettings(env: RegionalDatabaseSettings): HealthSettings {
  return {
    probeTimeoutMs: env.HEALTH_PROBE_TIMEOUT_MS,
    connectTimeoutMs: env.HEALTH_CONNECT_TIMEOUT_MS ?? env.HEALTH_PROBE_TIMEOUT_MS,
    connectConcurrency: env.HEALTH_CONNECT_CONCURRENCY,
    failuresToDown: env.HEALTH_FAILURES_TO_DOWN,
    successesToUp: env.HEALTH_SUCCESSES_TO_UP,
    fastRetryMs: env.HEALTH_FAST_RETRY_MS,
    lagRefreshMs: env.HEALTH_LAG_REFRESH_MS,
  };
}
