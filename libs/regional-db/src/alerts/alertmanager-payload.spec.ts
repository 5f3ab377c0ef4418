import { describe, expect, it } from '@jest/globals';
import type { Alert, AlertEvent } from './alert.types';
import { alertmanagerPayload } from './alertmanager-payload';

const alert: Alert = {
  key: 'endpoint_down:us-east-replica-1', type: 'endpoint_down', severity: 'critical', endpointId: 'us-east-replica-1', group: 'us-east',
  message: 'us-east-replica-1 is down', details: {}, id: 'a1', raisedAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', resolvedAt: null,
};

describe('alertmanagerPayload', () => {
  it("is Alertmanager's webhook shape: one firing alert with the type as alertname, severity, group and endpoint labels", () => {
    const payload = alertmanagerPayload({ action: 'raised', at: alert.raisedAt, alert });
    const labels = { alertname: 'endpoint_down', severity: 'critical', group: 'us-east', endpoint: 'us-east-replica-1', service: 'regional-db-router' };
    expect(payload).toEqual({
      version: '4',
      groupKey: '{}:{alertname="endpoint_down"}',
      truncatedAlerts: 0,
      status: 'firing',
      receiver: 'regional-db-router',
      groupLabels: { alertname: 'endpoint_down' },
      commonLabels: labels,
      commonAnnotations: { summary: 'us-east-replica-1 is down', action: 'raised' },
      externalURL: '',
      alerts: [{
        status: 'firing', labels, annotations: { summary: 'us-east-replica-1 is down', action: 'raised' },
        startsAt: alert.raisedAt, endsAt: '0001-01-01T00:00:00Z', generatorURL: '', fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
      }],
    });
  });

  it('a resolution is resolved with its end time; every change of one condition has one fingerprint', () => {
    const resolvedAt = '2026-01-01T00:05:00.000Z';
    const raised = alertmanagerPayload({ action: 'raised', at: alert.raisedAt, alert });
    const resolved = alertmanagerPayload({ action: 'resolved', at: resolvedAt, alert: { ...alert, resolvedAt } } as AlertEvent);
    expect(resolved.status).toBe('resolved');
    expect(resolved.alerts[0]).toMatchObject({ status: 'resolved', startsAt: alert.raisedAt, endsAt: resolvedAt });
    expect(resolved.alerts[0].fingerprint).toBe(raised.alerts[0].fingerprint);
    const coordination = alertmanagerPayload({ action: 'raised', at: alert.raisedAt, alert: { ...alert, key: 'coordination_unavailable:coordination', group: null, endpointId: null } });
    expect(coordination.commonLabels).not.toHaveProperty('group');
    expect(coordination.commonLabels).not.toHaveProperty('endpoint');
  });

  it('a resolution that says why carries it as the resolution annotation', () => {
    const resolvedAt = '2026-01-01T00:05:00.000Z';
    const resolved = alertmanagerPayload({ action: 'resolved', at: resolvedAt, alert: { ...alert, resolvedAt, resolution: 'answers again' } });
    expect(resolved.alerts[0].annotations).toEqual({ summary: 'us-east-replica-1 is down', action: 'resolved', resolution: 'answers again' });
  });
});
