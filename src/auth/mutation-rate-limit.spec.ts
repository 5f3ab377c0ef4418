import { describe, expect, it } from '@jest/globals';
import { validateEnvironment } from '../config/environment';
import { MutationRateLimiter, mutationRateLimitSettings as fromEnvironment, takeHit } from './mutation-rate-limit';

/** The reader applied to the environment as the settings schema checks it. */
const mutationRateLimitSettings = (raw: Record<string, string>) => fromEnvironment(validateEnvironment(raw));

const settings = { limit: 2, windowMs: 60_000 };

describe('takeHit', () => {
  it('allows up to the limit in a window, then refuses until the window ends', () => {
    const first = takeHit(undefined, 1_000, settings);
    const second = takeHit(first.window, 2_000, settings);
    const third = takeHit(second.window, 3_000, settings);
    expect([first.allowed, second.allowed, third.allowed]).toEqual([true, true, false]);
    expect(third.retryAfterMs).toBe(58_000);
    expect(takeHit(third.window, 61_000, settings)).toEqual({ window: { startedAt: 61_000, count: 1 }, allowed: true, retryAfterMs: 0 });
  });
});

describe('MutationRateLimiter', () => {
  it('counts each caller separately', () => {
    const limiter = new MutationRateLimiter(settings);
    expect([limiter.hit('sub:a', 0), limiter.hit('sub:a', 1), limiter.hit('sub:a', 2), limiter.hit('sub:b', 3)].map((d) => d.allowed)).toEqual([true, true, false, true]);
  });
});

describe('mutationRateLimitSettings', () => {
  it('is 10 per minute unless ADMIN_MUTATION_RATE_LIMIT says otherwise', () => {
    expect(mutationRateLimitSettings({})).toEqual({ limit: 10, windowMs: 60_000 });
    expect(mutationRateLimitSettings({ ADMIN_MUTATION_RATE_LIMIT: '3' })).toEqual({ limit: 3, windowMs: 60_000 });
  });

  it.each(['0', '-1', '2.5', 'ten'])('refuses %j', (raw) => {
    expect(() => mutationRateLimitSettings({ ADMIN_MUTATION_RATE_LIMIT: raw })).toThrow('Invalid setting ADMIN_MUTATION_RATE_LIMIT');
  });
});
