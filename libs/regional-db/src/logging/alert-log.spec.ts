import { describe, expect, it } from '@jest/globals';
import type { Alert } from '../alerts/alert.types';
import { alertLogLevel, alertLogLine } from './alert-log';

const alert: Alert = {
  key: 'endpoint_down:us-east-replica-1',
  type: 'endpoint_down',
  severity: 'high',
  endpointId: 'us-east-replica-1',
  group: 'us-east',
  message: 'us-east-replica-1 is down',
  details: {},
  id: 'a1',
  raisedAt: '2026-12-03T12:00:00.000Z',
  updatedAt: '2026-12-03T12:00:00.000Z',
  resolvedAt: null,
};

describe('alert log lines', () => {
  it('log at a level as severe as the alert, a resolution at info', () => {
    expect(['low', 'medium', 'high', 'critical'].map((s) => alertLogLevel('raised', s as Alert['severity']))).toEqual(['log', 'warn', 'error', 'fatal']);
    expect(alertLogLevel('resolved', 'critical')).toBe('log');
    expect(alertLogLevel('acknowledged', 'critical')).toBe('log');
    expect(alertLogLevel('silenced', 'high')).toBe('log');
  });

  it('carry type, severity, group and endpoint as fields, the message alone in msg', () => {
    expect(alertLogLine('raised', alert)).toEqual({
      msg: 'alert raised: us-east-replica-1 is down',
      alert: 'raised',
      alertId: 'a1',
      type: 'endpoint_down',
      severity: 'high',
      group: 'us-east',
      endpoint: 'us-east-replica-1',
    });
  });

  it('say why a condition resolved when its resolver did', () => {
    const resolved = { ...alert, resolvedAt: '2026-12-03T12:01:00.000Z', resolution: 'us-east-replica-1 answers again' };
    expect(alertLogLine('resolved', resolved).msg).toBe('alert resolved: us-east-replica-1 is down (us-east-replica-1 answers again)');
    expect(alertLogLine('resolved', alert).msg).toBe('alert resolved: us-east-replica-1 is down');
  });
});
