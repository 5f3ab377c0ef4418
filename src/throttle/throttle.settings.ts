import type { Environment } from '../config/environment';

/** The routes limited per client address, each with its own count. */
export type AddressLimited = 'login' | 'register' | 'geo-write';

export interface ThrottleSettings {
  /** Requests per client address per window, for each limited route. */
  perAddress: Record<AddressLimited, number>;
  windowMs: number;
  login: LoginHoldSettings;
}

export interface LoginHoldSettings {
  /** Failed logins for one handle, from anywhere, before it is held (the next attempt is a 429). */
  failuresBeforeHold: number;
  /** How long failures are remembered; a success forgets them at once. */
  failureWindowMs: number;
  /** The first hold; each further failure doubles it, up to `maxHoldMs`. */
  holdMs: number;
  maxHoldMs: number;
}

export const THROTTLE_SETTINGS = Symbol('THROTTLE_SETTINGS');

/** The `THROTTLE_*` settings (checked by the settings schema). */
export function throttleSettings(env: Environment): ThrottleSettings {
  const holdMs = env.THROTTLE_LOGIN_HOLD_SECONDS * 1000;
  return {
    perAddress: {
      login: env.THROTTLE_LOGIN_PER_ADDRESS,
      register: env.THROTTLE_REGISTER_PER_ADDRESS,
      'geo-write': env.THROTTLE_GEO_WRITE_PER_ADDRESS,
    },
    windowMs: env.THROTTLE_WINDOW_SECONDS * 1000,
    login: {
      failuresBeforeHold: env.THROTTLE_LOGIN_FAILURES_PER_HANDLE,
      failureWindowMs: env.THROTTLE_LOGIN_FAILURE_WINDOW_SECONDS * 1000,
      holdMs,
      maxHoldMs: Math.max(holdMs, env.THROTTLE_LOGIN_HOLD_MAX_SECONDS * 1000),
    },
  };
}

/**
 * How long a handle is held after its `failures`-th failure in the window: nothing before the limit, then the
 * first hold doubling with each failure, never beyond the cap, so nobody can lock an owner out for longer.
 */
export function loginHoldMs(failures: number, settings: LoginHoldSettings): number {
  if (failures < settings.failuresBeforeHold) return 0;
  const doublings = Math.min(failures - settings.failuresBeforeHold, 30);
  return Math.min(settings.holdMs * 2 ** doublings, settings.maxHoldMs);
}
