// The behaviour every AlertStore must have; run against the in-process store (unit) and Redis (e2e).
import { beforeEach, describe, expect, it } from '@jest/globals';
import type { AlertStore } from './alert-store';
import type { Alert, AlertSeverity } from './alert.types';

const T0 = Date.UTC(2026, 0, 1);

function alert(severity: AlertSeverity, at = T0, key = 'endpoint_down:us-east-replica-1'): Alert {
  const iso = new Date(at).toISOString();
  return {
    key, type: 'endpoint_down', severity, endpointId: 'us-east-replica-1', group: 'us-east', message: `down (${severity})`,
    details: { consecutiveFailures: 2, lastError: null }, id: `id-${severity}-${at}`, raisedAt: iso, updatedAt: iso, resolvedAt: null,
  };
}

/** `make(historyLimit)` returns an empty store. */
export function alertStoreContract(name: string, make: (historyLimit: number) => Promise<AlertStore>): void {
  describe(`${name}: AlertStore contract`, () => {
    let store: AlertStore;
    beforeEach(async () => {
      store = await make(5);
    });

    it('raises a condition once, however often it is asserted', async () => {
      const first = await store.assert(alert('high'), 'a', T0);
      const again = await store.assert(alert('high', T0 + 1_000), 'b', T0 + 1_000);
      expect(first.change).toBe('raised');
      expect(again).toEqual({ change: null, alert: first.alert });
      expect(await store.active()).toEqual([first.alert]);
      expect((await store.history(10)).map((e) => e.action)).toEqual(['raised']);
    });

    it('escalates to a higher severity, keeping the alert id, and never lowers it', async () => {
      const first = await store.assert(alert('medium'), 'a', T0);
      const up = await store.assert(alert('critical', T0 + 1), 'a', T0 + 1);
      const down = await store.assert(alert('low', T0 + 2), 'a', T0 + 2);
      expect(up.change).toBe('escalated');
      expect(up.alert).toMatchObject({ id: first.alert.id, severity: 'critical', message: 'down (critical)', raisedAt: first.alert.raisedAt });
      expect(down).toEqual({ change: null, alert: up.alert });
      expect((await store.history(10)).map((e) => `${e.action} ${e.alert.severity}`)).toEqual(['escalated critical', 'raised medium']);
    });

    it('acknowledges and silences the active alert it names, recorded in the history; an escalation clears the acknowledgement only', async () => {
      const { alert: raised } = await store.assert(alert('medium'), 'a', T0);
      const key = raised.key;
      const at = new Date(T0 + 10).toISOString();
      const acknowledged = await store.annotate(key, raised.id, { acknowledged: { by: 'alice', at } }, 'acknowledged', at);
      expect(acknowledged).toMatchObject({ id: raised.id, severity: 'medium', acknowledged: { by: 'alice', at }, updatedAt: at, details: raised.details });
      const silence = { by: 'bob', at, until: new Date(T0 + 60_000).toISOString(), comment: 'known' };
      const silenced = await store.annotate(key, raised.id, { silenced: silence }, 'silenced', at);
      expect(silenced).toMatchObject({ acknowledged: { by: 'alice' }, silenced: silence });
      expect(await store.active()).toEqual([silenced]);
      expect((await store.history(10)).map((e) => e.action)).toEqual(['silenced', 'acknowledged', 'raised']);

      const { alert: escalated } = await store.assert(alert('critical', T0 + 20), 'a', T0 + 20);
      expect(escalated.acknowledged ?? null).toBeNull();
      expect(escalated.silenced).toEqual(silence);
      // Another alert's id, or a key with nothing active, changes nothing.
      expect(await store.annotate(key, 'someone-else', { acknowledged: { by: 'eve', at } }, 'acknowledged', at)).toBeNull();
      expect(await store.annotate('endpoint_down:nothing', raised.id, { acknowledged: { by: 'eve', at } }, 'acknowledged', at)).toBeNull();
      await store.resolve(key, T0 + 30);
      expect(await store.annotate(key, raised.id, { acknowledged: { by: 'eve', at } }, 'acknowledged', at)).toBeNull();
    });

    it('stays active while another owner still asserts it, resolves when that owner went stale', async () => {
      await store.assert(alert('high'), 'a', T0);
      await store.assert(alert('high'), 'b', T0 + 500);
      expect(await store.withdraw('endpoint_down:us-east-replica-1', 'a', T0 + 1_000, 3_000)).toBeNull();
      expect(await store.active()).toHaveLength(1);
      const resolved = await store.withdraw('endpoint_down:us-east-replica-1', 'a', T0 + 4_000, 3_000);
      expect(resolved).toMatchObject({ severity: 'high', resolvedAt: new Date(T0 + 4_000).toISOString() });
      expect(await store.active()).toEqual([]);
      expect(await store.withdraw('endpoint_down:us-east-replica-1', 'b', T0 + 5_000, 3_000)).toBeNull();
    });

    it('lets an owner step back without resolving: the condition then resolves on the next withdrawal', async () => {
      await store.assert(alert('high'), 'a', T0);
      await store.assert(alert('high'), 'b', T0);
      await store.disown('endpoint_down:us-east-replica-1', 'a');
      expect(await store.active()).toHaveLength(1);
      expect(await store.withdraw('endpoint_down:us-east-replica-1', 'b', T0 + 1, 60_000)).toMatchObject({ severity: 'high' });
    });

    it('resolves by key whoever holds it, and says when nothing was active', async () => {
      const { alert: raised } = await store.assert(alert('high'), 'a', T0);
      const resolved = await store.resolve(raised.key, T0 + 10);
      expect(resolved).toEqual({ ...raised, resolvedAt: new Date(T0 + 10).toISOString(), updatedAt: new Date(T0 + 10).toISOString() });
      expect(await store.resolve(raised.key, T0 + 20)).toBeNull();
      // Raised again later: a new alert, not the old one revived.
      expect((await store.assert(alert('high', T0 + 30), 'a', T0 + 30)).change).toBe('raised');
    });

    it('keeps the reason a resolver gives on the resolved alert and in the history', async () => {
      const { alert: raised } = await store.assert(alert('high'), 'a', T0);
      const resolved = await store.resolve(raised.key, T0 + 10, 'us-east-replica-1 answers again');
      expect(resolved).toEqual({ ...raised, resolvedAt: new Date(T0 + 10).toISOString(), updatedAt: new Date(T0 + 10).toISOString(), resolution: 'us-east-replica-1 answers again' });
      expect((await store.history(1))[0]).toEqual({ action: 'resolved', at: new Date(T0 + 10).toISOString(), alert: resolved });
    });

    it('records one-shot alerts in the history only', async () => {
      const event = { ...alert('high'), key: 'failover_completed:us-east', type: 'failover_completed' as const, resolvedAt: new Date(T0).toISOString() };
      await store.record(event);
      expect(await store.active()).toEqual([]);
      expect(await store.history(10)).toEqual([{ action: 'raised', at: event.raisedAt, alert: event }]);
    });

    it('keeps a bounded history, newest first', async () => {
      for (let i = 0; i < 4; i++) {
        const key = `endpoint_down:r${i}`;
        await store.assert(alert('high', T0 + i, key), 'a', T0 + i);
        await store.resolve(key, T0 + i);
      }
      const history = await store.history(100);
      expect(history).toHaveLength(5);
      expect(history.map((e) => `${e.action} ${e.alert.key}`)).toEqual([
        'resolved endpoint_down:r3', 'raised endpoint_down:r3', 'resolved endpoint_down:r2', 'raised endpoint_down:r2', 'resolved endpoint_down:r1',
      ]);
      expect(await store.history(2)).toEqual(history.slice(0, 2));
    });
  });
}
