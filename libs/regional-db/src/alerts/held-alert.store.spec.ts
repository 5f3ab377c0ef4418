import { describe, expect, it } from '@jest/globals';
import { alertStoreContract } from './alert-store.contract';
import type { AlertStore } from './alert-store';
import type { Alert } from './alert.types';
import { HeldAlertStore } from './held-alert.store';
import { MemoryAlertStore } from './memory-alert.store';

alertStoreContract('HeldAlertStore', async (historyLimit) => new HeldAlertStore(new MemoryAlertStore(historyLimit), historyLimit));

/** A shared store that can be made unreachable, like Redis with fail-fast commands. */
function switchable(limit = 10) {
  const inner = new MemoryAlertStore(limit);
  let up = true;
  const store = new Proxy(inner, {
    get(target, name: keyof AlertStore) {
      const value = target[name];
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => (up ? (value as (...a: unknown[]) => unknown).apply(target, args) : Promise.reject(new Error('Connection is closed.')));
    },
  });
  return { inner, store, setUp: (value: boolean) => (up = value) };
}

const alert = (key: string, at: number): Alert => {
  const iso = new Date(at).toISOString();
  return { key, type: 'coordination_unavailable', severity: 'critical', endpointId: null, group: null, message: 'm', details: {}, id: key, raisedAt: iso, updatedAt: iso, resolvedAt: null };
};

describe('HeldAlertStore', () => {
  it('holds changes in memory while the shared store fails, shows them, then applies them in order', async () => {
    const shared = switchable();
    const store = new HeldAlertStore(shared.store, 10);
    shared.setUp(false);
    expect((await store.assert(alert('coordination_unavailable:coordination', 1), 'raise', 1)).change).toBe('raised');
    expect((await store.active()).map((a) => a.key)).toEqual(['coordination_unavailable:coordination']);
    expect(await store.resolve('coordination_unavailable:coordination', 2)).toMatchObject({ resolvedAt: new Date(2).toISOString() });
    expect(store.holding).toBe(true);
    expect(await shared.inner.history(10)).toEqual([]);

    shared.setUp(true);
    expect(await store.flush()).toBe(true);
    expect(store.holding).toBe(false);
    expect((await shared.inner.history(10)).map((e) => `${e.action} ${e.at}`)).toEqual([`resolved ${new Date(2).toISOString()}`, `raised ${new Date(1).toISOString()}`]);
    expect(await store.active()).toEqual([]);
  });

  it('keeps what it could not apply when the shared store fails again during a flush', async () => {
    const shared = switchable();
    const store = new HeldAlertStore(shared.store, 10);
    shared.setUp(false);
    await store.record(alert('failover_failed:us-east', 1));
    expect(await store.flush()).toBe(false);
    expect(store.holding).toBe(true);
    expect((await store.history(10)).map((e) => e.alert.key)).toEqual(['failover_failed:us-east']);
    shared.setUp(true);
    // Any later use tries the held changes again.
    expect((await store.history(10)).map((e) => e.alert.key)).toEqual(['failover_failed:us-east']);
    expect(store.holding).toBe(false);
    expect(await shared.inner.history(10)).toHaveLength(1);
  });
});
