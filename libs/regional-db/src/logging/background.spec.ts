import { describe, expect, it } from '@jest/globals';
import { AsyncLocalStorage } from 'node:async_hooks';
import { inBackground } from './background';

describe('inBackground', () => {
  it("runs outside the caller's request context, and so does what it schedules", async () => {
    const store = new AsyncLocalStorage<string>();
    const seen = await store.run('request-1', async () => {
      const now = inBackground(() => store.getStore());
      const later = await inBackground(() => new Promise<string | undefined>((resolve) => setTimeout(() => resolve(store.getStore()), 1)));
      return { now, later, after: store.getStore() };
    });
    expect(seen).toEqual({ now: undefined, later: undefined, after: 'request-1' });
  });
});
