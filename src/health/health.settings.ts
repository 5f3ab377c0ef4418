import { Inject } from '@nestjs/common';
import { envInt } from '../config/env';

/** How endpoints are probed and judged; read once at start, a bad value fails start-up naming the variable. */
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

export function healthSettings(env: NodeJS.ProcessEnv): HealthSettings {
  const probeTimeoutMs = envInt(env, 'HEALTH_PROBE_TIMEOUT_MS', 1_000, 50, 60_000);
  return {
    probeTimeoutMs,
    connectTimeoutMs: envInt(env, 'HEALTH_CONNECT_TIMEOUT_MS', probeTimeoutMs, 50, 60_000),
    connectConcurrency: envInt(env, 'HEALTH_CONNECT_CONCURRENCY', 16, 1, 10_000),
    failuresToDown: envInt(env, 'HEALTH_FAILURES_TO_DOWN', 2, 1, 100),
    successesToUp: envInt(env, 'HEALTH_SUCCESSES_TO_UP', 2, 1, 100),
    fastRetryMs: envInt(env, 'HEALTH_FAST_RETRY_MS', 200, 10, 60_000),
    lagRefreshMs: envInt(env, 'HEALTH_LAG_REFRESH_MS', 1_000, 100, 60_000),
  };
}
