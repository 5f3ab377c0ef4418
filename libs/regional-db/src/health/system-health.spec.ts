import { describe, expect, it } from '@jest/globals';
import type { EndpointHealth } from './endpoint-health';
import { primaryVerdict, summarizeSystemHealth } from './system-health';

const health = (id: string, overrides: Partial<EndpointHealth> = {}): EndpointHealth => ({
  id, group: 'us-east', region: 'us-east', isHealthy: true, role: id.includes('primary') ? 'primary' : 'replica', readOnly: false, timeline: 1,
  latencyMs: 2, smoothedLatencyMs: 2, replayLsn: null, currentLsn: '0/1', replicationLagBytes: null, replicationLagMs: null, replayPaused: false,
  lastCheckAt: '2026-01-01T00:00:00.000Z', lastError: null, consecutiveFailures: 0, consecutiveSuccesses: 3, ...overrides,
});

describe('primaryVerdict', () => {
  it.each([
    ['a healthy writable primary', 'p-primary', health('p-primary'), null],
    ['no primary assigned', null, null, 'no primary assigned (failover in progress or failed)'],
    ['never probed', 'p-primary', health('p-primary', { lastCheckAt: null, isHealthy: false }), 'p-primary has not been probed yet'],
    ['unreachable', 'p-primary', health('p-primary', { isHealthy: false, lastError: 'connect ECONNREFUSED 127.0.0.1:1' }), 'p-primary is not healthy: connect ECONNREFUSED 127.0.0.1:1'],
    ['still a replica', 'p-replica-1', health('p-replica-1'), 'p-replica-1 is in recovery (pg_is_in_recovery() = true)'],
    ['fenced read-only', 'p-primary', health('p-primary', { readOnly: true }), 'p-primary is read-only (default_transaction_read_only = on)'],
  ])('%s', (_, primaryId, h, reason) => {
    expect(primaryVerdict('us-east', primaryId, h)).toEqual({ group: 'us-east', primaryId, writable: reason === null, reason });
  });
});

describe('summarizeSystemHealth', () => {
  const ok = primaryVerdict('us-east', 'us-east-primary', health('us-east-primary'));
  const endpoints = [health('us-east-primary', { smoothedLatencyMs: 1 }), health('us-east-replica-1', { smoothedLatencyMs: 3 }), health('us-east-replica-2', { smoothedLatencyMs: 5 })];

  it('is healthy when everything is', () => {
    expect(summarizeSystemHealth([ok], endpoints, 0)).toEqual({
      overall: 'healthy', primaryHealthy: true, activeAlerts: 0, avgResponseTimeMs: 3, replicaHealth: 100, healthyEndpoints: 3, totalEndpoints: 3,
    });
  });

  it('is degraded by an unhealthy replica or an active alert', () => {
    const oneDown = [endpoints[0], endpoints[1], { ...endpoints[2], isHealthy: false }];
    expect(summarizeSystemHealth([ok], oneDown, 0)).toMatchObject({ overall: 'degraded', replicaHealth: 50, avgResponseTimeMs: 2, healthyEndpoints: 2 });
    expect(summarizeSystemHealth([ok], endpoints, 1).overall).toBe('degraded');
  });

  it('does not count a fenced former primary as a replica', () => {
    const promoted = primaryVerdict('us-east', 'us-east-replica-1', health('us-east-replica-1', { role: 'primary' }));
    const after = [{ ...endpoints[0], isHealthy: false }, endpoints[1], endpoints[2]];
    expect(summarizeSystemHealth([promoted], after, 0, new Set(['us-east-primary']))).toMatchObject({ replicaHealth: 100, healthyEndpoints: 2, totalEndpoints: 3 });
    expect(summarizeSystemHealth([promoted], after, 0).replicaHealth).toBe(50);
  });

  it('is critical without a writable primary', () => {
    const none = primaryVerdict('eu-west', null, null);
    expect(summarizeSystemHealth([ok, none], endpoints, 0)).toMatchObject({ overall: 'critical', primaryHealthy: false });
  });
});
