import { Inject, Injectable } from '@nestjs/common';
import type { Environment } from '../config/environment';

export interface RateLimitSettings {
  /** Calls allowed per caller per window. */
  limit: number;
  windowMs: number;
}

export const MUTATION_RATE_LIMIT = Symbol('MUTATION_RATE_LIMIT');

/** `ADMIN_MUTATION_RATE_LIMIT` (default 10) mutating admin calls per caller per minute. */
export function mutationRateLimitSettings(env: Environment): RateLimitSettings {
  return { limit: env.ADMIN_MUTATION_RATE_LIMIT, windowMs: 60_000 };
}

export interface RateWindow {
  startedAt: number;
  count: number;
}

export interface RateDecision {
  window: RateWindow;
  allowed: boolean;
  /** How long until the caller may try again (0 when allowed). */
  retryAfterMs: number;
}

/** One more call in a fixed window: a new window when the last one is over, refused past the limit. */
export function takeHit(previous: RateWindow | undefined, now: number, settings: RateLimitSettings): RateDecision {
  const window = previous && now - previous.startedAt < settings.windowMs ? { ...previous, count: previous.count + 1 } : { startedAt: now, count: 1 };
  const allowed = window.count <= settings.limit;
  return { window, allowed, retryAfterMs: allowed ? 0 : window.startedAt + settings.windowMs - now };
}

/**
 * Counts mutating admin calls per caller in this process. Per instance on purpose: failover and reconnect are
 * already serialised across instances by their own locks; this only stops one caller hammering them.
 */
@Injectable()
export class MutationRateLimiter {
  private readonly windows = new Map<string, RateWindow>();

  constructor(@Inject(MUTATION_RATE_LIMIT) readonly settings: RateLimitSettings) {}

  hit(caller: string, now = Date.now()): RateDecision {
    if (this.windows.size > 10_000) this.forgetEnded(now);
    const decision = takeHit(this.windows.get(caller), now, this.settings);
    this.windows.set(caller, decision.window);
    return decision;
  }

  private forgetEnded(now: number): void {
    for (const [caller, window] of this.windows) {
      if (now - window.startedAt >= this.settings.windowMs) this.windows.delete(caller);
    }
  }
}
