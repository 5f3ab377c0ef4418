import { envBool, envInt } from '../config/env';

export interface FailoverSettings {
  /** Promote automatically when a primary is confirmed down. */
  automatic: boolean;
  /** How often each group's primary is checked between health rounds: detection must not wait 30 s. */
  primaryCheckMs: number;
  /** Bound of each SQL step (position, fence, repoint) against one server. */
  stepTimeoutMs: number;
}

export function failoverSettings(env: NodeJS.ProcessEnv = process.env): FailoverSettings {
  return {
    automatic: envBool(env, 'FAILOVER_AUTOMATIC', true),
    primaryCheckMs: envInt(env, 'FAILOVER_PRIMARY_CHECK_MS', 1_000, 100, 600_000),
    stepTimeoutMs: envInt(env, 'FAILOVER_STEP_TIMEOUT_MS', 2_000, 100, 600_000),
  };
}
