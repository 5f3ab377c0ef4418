import { describe, expect, it } from '@jest/globals';
import { ALERT_SEVERITIES, ALERT_TYPES } from '../alerts/alert.types';
import type { FailoverRecord } from '../failover/failover-record';
import { activeAlertCounts, unseenFailovers } from './metric-samples';

describe('activeAlertCounts', () => {
  it('counts per type and severity and reports every other combination as zero', () => {
    const counts = activeAlertCounts([
      { type: 'endpoint_down', severity: 'critical' },
      { type: 'endpoint_down', severity: 'critical' },
      { type: 'replication_lag', severity: 'medium' },
    ]);
    expect(counts).toHaveLength(ALERT_TYPES.length * ALERT_SEVERITIES.length);
    expect(counts.find((c) => c.type === 'endpoint_down' && c.severity === 'critical')?.count).toBe(2);
    expect(counts.find((c) => c.type === 'replication_lag' && c.severity === 'medium')?.count).toBe(1);
    expect(counts.filter((c) => c.count > 0)).toHaveLength(2);
  });
});

const record = (id: string, finishedAt: string): FailoverRecord => ({
  id,
  group: 'us-east',
  trigger: 'automatic',
  actor: 'system',
  planned: false,
  from: 'us-east-primary',
  to: 'us-east-replica-1',
  epoch: 2,
  outcome: 'completed',
  reason: '',
  startedAt: finishedAt,
  finishedAt,
  durations: { detectionMs: 1, selectionMs: 1, promotionMs: 1, rerouteMs: 1, verifyMs: 1, repointMs: 1, totalMs: 5 },
  lagAtPromotionBytes: 0,
  repointed: [],
  fenced: null,
  quorum: null,
});

describe('unseenFailovers', () => {
  const since = Date.parse('2026-01-01T00:00:00Z');

  it('returns each failover once, oldest first, and ignores those finished before `since`', () => {
    const seen = new Set<string>();
    const history = [record('c', '2026-01-01T00:03:00Z'), record('b', '2026-01-01T00:02:00Z'), record('old', '2025-12-31T23:59:00Z')];
    expect(unseenFailovers(history, seen, since).map((r) => r.id)).toEqual(['b', 'c']);
    expect(unseenFailovers(history, seen, since)).toEqual([]);
    expect(unseenFailovers([record('d', '2026-01-01T00:04:00Z'), ...history], seen, since).map((r) => r.id)).toEqual(['d']);
  });
});
