import { beforeAll, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { parseTopology } from '../config/topology.parser';
import { regionalDatabaseSettings } from '../config/regional-database.settings';
import { alertSettings as fromEnvironment } from './alert.settings';
import { AlertService } from './alert.service';
import type { AlertCondition, AlertEvent } from './alert.types';
import { HEALTH_ALERT_TYPES } from './alert.types';
import { MemoryAlertStore } from './memory-alert.store';

/** The reader applied to the environment as the settings schema checks it. */
const alertSettings = (raw: Record<string, string>) => fromEnvironment(regionalDatabaseSettings(raw));

const topology = parseTopology(
  {
    regions: {
      'us-east': {
        primary: { url: 'postgresql://app:pw@127.0.0.1:1/app' },
        replicas: [{ url: 'postgresql://app:pw@127.0.0.1:2/app' }],
      },
    },
  },
  'test',
);

function service() {
  const alerts = new AlertService(new MemoryAlertStore(100), alertSettings({}), topology);
  const events: string[] = [];
  alerts.events.on('alert', (e: AlertEvent) => events.push(`${e.action} ${e.alert.key} ${e.alert.severity}`));
  return { alerts, events };
}

const down = (severity: AlertCondition['severity'] = 'high'): AlertCondition => ({
  key: 'endpoint_down:us-east-replica-1', type: 'endpoint_down', severity, endpointId: 'us-east-replica-1', group: 'us-east', message: 'down', details: {},
});

describe('AlertService', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('records failover events in the history only, about a group', async () => {
    const { alerts, events } = service();
    const alert = await alerts.raise('failover_completed', 'high', 'us-east', 'Failover of us-east completed', { ms: 140 });
    expect(alert).toMatchObject({ key: 'failover_completed:us-east', endpointId: null, group: 'us-east', resolvedAt: alert.raisedAt });
    expect(await alerts.active()).toEqual([]);
    expect((await alerts.history(10)).map((e) => e.alert.id)).toEqual([alert.id]);
    expect(events).toEqual(['raised failover_completed:us-east high']);
  });

  it('keeps a raised condition until it is resolved, announcing each change once', async () => {
    const { alerts, events } = service();
    const first = await alerts.raise('failover_failed', 'high', 'us-east-replica-1', 'split brain risk');
    expect(first).toMatchObject({ endpointId: 'us-east-replica-1', group: 'us-east' });
    expect(await alerts.raise('failover_failed', 'high', 'us-east-replica-1', 'again')).toEqual(first);
    await alerts.raise('failover_failed', 'critical', 'us-east-replica-1', 'worse');
    // The health monitor's reconciliation never withdraws what `raise` holds.
    await alerts.reconcile([], HEALTH_ALERT_TYPES, 0);
    expect((await alerts.active()).map((a) => a.severity)).toEqual(['critical']);
    expect(await alerts.resolve('failover_failed:us-east-replica-1')).toMatchObject({ id: first.id });
    expect(await alerts.resolve('failover_failed:us-east-replica-1')).toBeNull();
    expect(events).toEqual([
      'raised failover_failed:us-east-replica-1 high',
      'escalated failover_failed:us-east-replica-1 critical',
      'resolved failover_failed:us-east-replica-1 critical',
    ]);
  });

  it('reconciles the conditions an instance sees: raised while seen, resolved when no longer', async () => {
    const { alerts, events } = service();
    await alerts.reconcile([down()], HEALTH_ALERT_TYPES, 10_000);
    await alerts.reconcile([down()], HEALTH_ALERT_TYPES, 10_000);
    expect(events).toEqual(['raised endpoint_down:us-east-replica-1 high']);
    await alerts.reconcile([], HEALTH_ALERT_TYPES, 10_000);
    expect(events).toEqual(['raised endpoint_down:us-east-replica-1 high', 'resolved endpoint_down:us-east-replica-1 high']);
    expect(await alerts.active()).toEqual([]);
  });

  it('stops holding its conditions when the instance shuts down, leaving them active for the others to judge', async () => {
    const store = new MemoryAlertStore(100);
    const [stopping, staying] = [new AlertService(store, alertSettings({}), topology), new AlertService(store, alertSettings({}), topology)];
    await stopping.reconcile([down()], HEALTH_ALERT_TYPES, 60_000);
    await stopping.beforeApplicationShutdown();
    expect(await store.active()).toHaveLength(1);
    // Its successor no longer sees the condition: resolved now, not after the stale window.
    await staying.reconcile([], HEALTH_ALERT_TYPES, 60_000);
    expect(await store.active()).toEqual([]);
  });

  it('refuses a subject that is neither an endpoint, a group nor the coordination store', async () => {
    await expect(service().alerts.raise('endpoint_down', 'high', 'us-west-primary', 'x')).rejects.toThrow(
      'alert subject "us-west-primary" is neither an endpoint id, a replication group nor "coordination"',
    );
    const coordination = await service().alerts.raise('coordination_unavailable', 'critical', 'coordination', 'Redis lost');
    expect(coordination).toMatchObject({ key: 'coordination_unavailable:coordination', endpointId: null, group: null, resolvedAt: null });
  });

  it('keeps going when a listener throws', async () => {
    const { alerts } = service();
    alerts.events.on('alert', () => {
      throw new Error('listener bug');
    });
    await expect(alerts.raise('failover_failed', 'high', 'us-east', 'x')).resolves.toMatchObject({ key: 'failover_failed:us-east' });
  });

  it('never puts a connection string from a message into the alert', async () => {
    const alert = await service().alerts.raise('failover_failed', 'high', 'us-east', 'cannot reach postgresql://app:pw@127.0.0.1:1/app');
    expect(alert.message).toBe('cannot reach postgresql://app:***@127.0.0.1:1/app');
  });

  it('acknowledges and silences an active alert by id; a silenced alert posts its resolution only', async () => {
    const posted: string[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c)).on('end', () => {
        const event = JSON.parse(body) as AlertEvent;
        posted.push(`${event.action} ${event.alert.severity}`);
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const settings = alertSettings({ ALERT_WEBHOOK_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook` });
      const alerts = new AlertService(new MemoryAlertStore(100), settings, topology);
      const raised = await alerts.raise('failover_failed', 'high', 'us-east', 'no candidate');
      await expect(alerts.acknowledge('no-such-id', 'alice')).rejects.toThrow(/No active alert "no-such-id"/);
      expect(await alerts.acknowledge(raised.id, 'alice')).toMatchObject({ id: raised.id, acknowledged: { by: 'alice' } });
      const silenced = await alerts.silence(raised.id, 'alice', 600, 'known: replica rebuilt');
      expect(Date.parse(silenced.silenced!.until) - Date.parse(silenced.silenced!.at)).toBe(600_000);
      await alerts.raise('failover_failed', 'critical', 'us-east', 'still no candidate');
      await alerts.resolve('failover_failed:us-east');
      const deadline = Date.now() + 10_000;
      while (posted.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      // Raised (before the silence) and resolved; neither the operator's actions nor the silenced escalation.
      expect(posted.sort()).toEqual(['raised high', 'resolved critical']);
      expect((await alerts.history(10)).map((e) => e.action)).toEqual(['resolved', 'escalated', 'silenced', 'acknowledged', 'raised']);
    } finally {
      server.close();
    }
  });
});
