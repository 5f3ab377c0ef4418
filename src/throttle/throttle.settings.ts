import { envInt } from '../config/env';

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

/** The `THROTTLE_*` settings, checked once at start. */
export function throttleSettings(env: NodeJS.ProcessEnv = process.env): ThrottleSettings {
  const seconds = (name: string, fallback: number, max: number) => envInt(env, name, fallback, 1, max) * 1000;
  const perWindow = (name: string, fallback: number) => envInt(env, name, fallback, 1, 1_000_000);
  const holdMs = seconds('THROTTLE_LOGIN_HOLD_SECONDS', 1, 3600);
  return {
    perAddress: {
      login: perWindow('THROTTLE_LOGIN_PER_ADDRESS', 20),
      register: perWindow('THROTTLE_REGISTER_PER_ADDRESS', 5),
      'geo-write': perWindow('THROTTLE_GEO_WRITE_PER_ADDRESS', 60),
    },
    windowMs: seconds('THROTTLE_WINDOW_SECONDS', 60, 86_400),
    login: {
      failuresBeforeHold: envInt(env, 'THROTTLE_LOGIN_FAILURES_PER_HANDLE', 5, 1, 1000),
      failureWindowMs: seconds('THROTTLE_LOGIN_FAILURE_WINDOW_SECONDS', 900, 86_400),
      holdMs,
      maxHoldMs: Math.max(holdMs, seconds('THROTTLE_LOGIN_HOLD_MAX_SECONDS', 300, 3600)),
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
