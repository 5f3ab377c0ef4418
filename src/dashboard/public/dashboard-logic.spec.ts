import { describe, expect, it } from '@jest/globals';
import { runInNewContext } from 'node:vm';
import { DASHBOARD_LOGIC } from './dashboard-logic';

type Tone = { tone: string; reasons: string[] };
const logic = runInNewContext(`${DASHBOARD_LOGIC}; ({ endpointTone, groupTone, coordinationNotice, formatBytes, formatMs, formatAgo })`) as {
  coordinationNotice: (status: object) => string | null;
  endpointTone: (endpoint: object, alerts: object[]) => Tone;
  groupTone: (group: object, alerts: object[]) => Tone;
  formatBytes: (bytes: number | null) => string;
  formatMs: (ms: number | null) => string;
  formatAgo: (iso: string | null, now: number) => string;
};
// Objects made in another realm: compare them as plain JSON.
const plain = (value: unknown) => JSON.parse(JSON.stringify(value));

const endpoint = (over: object = {}) => ({
  id: 'us-east-replica-1',
  role: 'replica',
  reportedRole: 'replica',
  healthy: true,
  fenced: false,
  replayPaused: false,
  lastCheckAt: '2026-01-01T00:00:00Z',
  lastError: null,
  ...over,
});

describe('endpointTone', () => {
  it('is green for a healthy replica, red with the error when down, grey before the first probe', () => {
    expect(plain(logic.endpointTone(endpoint(), []))).toEqual({ tone: 'ok', reasons: [] });
    expect(plain(logic.endpointTone(endpoint({ healthy: false, lastError: 'connection refused' }), []))).toEqual({ tone: 'down', reasons: ['connection refused'] });
    expect(logic.endpointTone(endpoint({ lastCheckAt: null, healthy: false }), []).tone).toBe('unknown');
  });

  it('is amber when fenced, paused, in the wrong role or under a lag, slowness or error-rate alert of its own', () => {
    expect(plain(logic.endpointTone(endpoint({ fenced: true }), []))).toEqual({ tone: 'warn', reasons: ['fenced: former primary'] });
    expect(logic.endpointTone(endpoint({ replayPaused: true }), []).reasons).toEqual(['replay paused']);
    expect(logic.endpointTone(endpoint({ reportedRole: 'primary' }), []).reasons).toEqual(['server reports primary']);
    const lag = { type: 'replication_lag', severity: 'medium', endpointId: 'us-east-replica-1' };
    expect(plain(logic.endpointTone(endpoint(), [lag]))).toEqual({ tone: 'warn', reasons: ['replication lag (medium)'] });
    expect(logic.endpointTone(endpoint(), [{ ...lag, endpointId: 'us-east-replica-2' }]).tone).toBe('ok');
    expect(logic.endpointTone(endpoint(), [{ ...lag, type: 'failover_triggered' }]).tone).toBe('ok');
  });
});

describe('groupTone', () => {
  const group = (endpoints: object[], over: object = {}) => ({ primary: 'us-east-primary', failoverRunning: false, endpoints, ...over });
  const primary = (over: object = {}) => endpoint({ id: 'us-east-primary', role: 'primary', reportedRole: 'primary', ...over });

  it('is red when its primary is down or it has none', () => {
    expect(plain(logic.groupTone(group([primary({ healthy: false }), endpoint()]), []))).toEqual({ tone: 'down', reasons: ['primary us-east-primary is down'] });
    expect(logic.groupTone(group([endpoint()], { primary: null }), []).tone).toBe('down');
  });

  it('is amber while a failover runs or any server is degraded, green otherwise', () => {
    expect(logic.groupTone(group([primary(), endpoint()], { failoverRunning: true }), []).reasons).toEqual(['failover running']);
    expect(plain(logic.groupTone(group([primary(), endpoint({ healthy: false })]), []))).toEqual({ tone: 'warn', reasons: ['1 of 2 servers degraded'] });
    expect(logic.groupTone(group([primary(), endpoint()]), []).tone).toBe('ok');
  });
});

describe('formatting', () => {
  it('bytes, durations and ages read naturally', () => {
    expect([logic.formatBytes(null), logic.formatBytes(0), logic.formatBytes(1536), logic.formatBytes(27 * 1024 * 1024)]).toEqual(['–', '0 B', '1.5 KB', '27 MB']);
    expect([logic.formatMs(null), logic.formatMs(0), logic.formatMs(0.42), logic.formatMs(12.34), logic.formatMs(450), logic.formatMs(12_300)]).toEqual(['–', '0 ms', '0.42 ms', '12.3 ms', '450 ms', '12.3 s']);
    const now = Date.parse('2026-01-01T01:00:00Z');
    expect([logic.formatAgo(null, now), logic.formatAgo('2026-01-01T00:59:30Z', now), logic.formatAgo('2026-01-01T00:30:00Z', now)]).toEqual(['never', '30 s ago', '30 min ago']);
  });
});

describe('coordinationNotice', () => {
  it('says coordination is unavailable (not that the service is down) only while it is', () => {
    expect(logic.coordinationNotice({ coordination: 'unavailable' })).toMatch(/^Coordination unavailable: Redis cannot be reached\./);
    expect(logic.coordinationNotice({ coordination: 'unavailable' })).not.toMatch(/Cannot reach the service/);
    expect(logic.coordinationNotice({ coordination: 'available' })).toBeNull();
    expect(logic.coordinationNotice({ coordination: 'disabled' })).toBeNull();
  });
});
