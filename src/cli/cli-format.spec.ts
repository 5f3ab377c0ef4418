import { describe, expect, it } from '@jest/globals';
import { formatAlerts, formatHistory, formatStatus, StatusGroup, table } from './cli-format';

const endpoint = { healthy: true, fenced: false, replicationLagBytes: 0, replicationLagMs: 0, replayPaused: false, timeline: 2 };

describe('table', () => {
  it('pads every column but the last to its widest cell', () => {
    expect(table(['A', 'BB'], [['xxx', 'y'], ['z', 'long']])).toBe('A    BB\nxxx  y\nz    long');
  });
});

describe('formatStatus', () => {
  it('lists every endpoint with role, lag, timeline, fenced and healthy, then what holds a group', () => {
    const groups: StatusGroup[] = [
      {
        name: 'us-east',
        epoch: 2,
        primary: 'us-east-replica-1',
        failoverRunning: false,
        failoverPaused: { scope: 'us-east', by: 'alice', at: '2026-01-01T00:00:00.000Z', reason: 'kernel upgrade' },
        endpoints: [
          { ...endpoint, id: 'us-east-primary', role: 'replica', fenced: true, healthy: false, replicationLagBytes: null, replicationLagMs: null, timeline: null },
          { ...endpoint, id: 'us-east-replica-1', role: 'primary' },
          { ...endpoint, id: 'us-east-replica-2', role: 'replica', replicationLagBytes: 12 * 1024 * 1024, replicationLagMs: 1500.4, replayPaused: true },
        ],
      },
    ];
    expect(formatStatus(groups).split('\n')).toEqual([
      'GROUP    ENDPOINT           ROLE            LAG                                TIMELINE  FENCED  HEALTHY',
      'us-east  us-east-primary    former primary  unknown                            ?         fenced  NO',
      'us-east  us-east-replica-1  primary                                            2                 yes',
      'us-east  us-east-replica-2  replica         12.0 MB / 1500 ms (replay paused)  2                 yes',
      '',
      'us-east: automatic failover PAUSED (this group) by alice since 2026-01-01T00:00:00.000Z: kernel upgrade',
    ]);
  });
});

describe('formatHistory and formatAlerts', () => {
  it('say so when there is nothing', () => {
    expect(formatHistory([])).toBe('no failovers recorded');
    expect(formatAlerts([])).toBe('no active alerts');
  });

  it('show who acknowledged an alert and until when it is silenced', () => {
    const alert = { id: 'a1', severity: 'critical', type: 'endpoint_down', group: 'us-east', endpointId: 'us-east-primary', message: 'down', raisedAt: 'T0' };
    const now = Date.parse('2026-01-01T00:00:00Z');
    const text = formatAlerts([{ ...alert, acknowledged: { by: 'bob', at: 'T1' }, silenced: { until: '2026-01-01T01:00:00.000Z' } }, { ...alert, id: 'a2' }], now);
    expect(text).toContain('acked by bob, silenced until 2026-01-01T01:00:00.000Z');
    expect(text.split('\n')[2]).toMatch(/^a2 .* open +down$/);
  });
});
