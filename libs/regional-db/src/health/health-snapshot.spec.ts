import { describe, expect, it } from '@jest/globals';
import type { EndpointConfig } from '../config/topology.types';
import type { ProbeSample } from './endpoint-prober';
import { applyProbe, initialHealth, withReplay, withRoundTrip } from './health-snapshot';

const endpoint: EndpointConfig = {
  id: 'us-east-replica-1', group: 'us-east', region: 'us-east', url: 'postgresql://app:pw@h/db', adminUrl: 'postgresql://app:pw@h/postgres', configuredRole: 'replica', roles: ['read'], priority: 1,
};
const at = Date.UTC(2026, 0, 1);
const replica = (latencyMs: number, lsn = '0/3000'): Extract<ProbeSample, { reachable: true }> => ({
  reachable: true, at, latencyMs, inRecovery: true, timeline: 1, lsn, replayPaused: false, replayTimestampAgeMs: 10, readOnly: false,
});
const up = { status: 'up' as const, consecutiveFailures: 0, consecutiveSuccesses: 1 };

describe('applyProbe', () => {
  it('starts unhealthy and unjudged', () => {
    expect(initialHealth(endpoint)).toMatchObject({ isHealthy: false, role: 'unknown', lastCheckAt: null });
  });

  it("records the server's own role and position", () => {
    const first = applyProbe(initialHealth(endpoint), replica(10), up);
    expect(first).toMatchObject({ isHealthy: true, role: 'replica', replayLsn: '0/3000', currentLsn: null, lastCheckAt: '2026-01-01T00:00:00.000Z' });
  });

  it('keeps the last round trip and the one routing uses', () => {
    expect(withRoundTrip(initialHealth(endpoint), 900.123, 0.4)).toMatchObject({ latencyMs: 900.12, smoothedLatencyMs: 0.4 });
  });

  it('reports a promoted replica as primary, with a current position and no lag', () => {
    const lagging = withReplay(applyProbe(initialHealth(endpoint), replica(1), up), '0/3000', { bytes: 100, ms: 50 });
    const promoted = applyProbe(lagging, { ...replica(1, '0/5000'), inRecovery: false, timeline: 2 }, up);
    expect(promoted).toMatchObject({ role: 'primary', currentLsn: '0/5000', replayLsn: null, timeline: 2, replicationLagBytes: null, replicationLagMs: null });
  });

  it('keeps what an unreachable server last reported, with the error and the verdict', () => {
    const known = withReplay(applyProbe(initialHealth(endpoint), replica(1), up), '0/3000', { bytes: 0, ms: 0 });
    const failed = applyProbe(known, { reachable: false, at, latencyMs: 1, error: 'connect ECONNREFUSED' }, { status: 'down', consecutiveFailures: 2, consecutiveSuccesses: 0 });
    expect(failed).toMatchObject({ isHealthy: false, role: 'replica', replayLsn: '0/3000', lastError: 'connect ECONNREFUSED', consecutiveFailures: 2 });
  });
});
