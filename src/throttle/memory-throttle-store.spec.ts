import { describe, expect, it } from '@jest/globals';
import { MemoryThrottleStore } from './memory-throttle-store';

describe('MemoryThrottleStore', () => {
  it('counts in a fixed window and starts a new one when it ends', async () => {
    let now = 0;
    const store = new MemoryThrottleStore(() => now);
    expect(await store.increment('a', 1000)).toEqual({ count: 1, ttlMs: 1000 });
    now = 400;
    expect(await store.increment('a', 1000)).toEqual({ count: 2, ttlMs: 600 });
    expect(await store.increment('b', 1000)).toEqual({ count: 1, ttlMs: 1000 });
    now = 1000;
    expect(await store.increment('a', 1000)).toEqual({ count: 1, ttlMs: 1000 });
  });

  it('keeps a hold for its time, and forgets removed keys', async () => {
    let now = 0;
    const store = new MemoryThrottleStore(() => now);
    await store.set('hold', 500);
    now = 200;
    expect(await store.remaining('hold')).toBe(300);
    now = 500;
    expect(await store.remaining('hold')).toBe(0);
    await store.set('hold', 500);
    await store.remove('hold');
    expect(await store.remaining('hold')).toBe(0);
  });
});
