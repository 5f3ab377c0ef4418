import { describe, expect, it } from '@jest/globals';
import type { EndpointHealth } from '../health/endpoint-health';
import { regionalDatabaseSettings } from '../config/regional-database.settings';
import { alertSettings as fromEnvironment } from './alert.settings';
import type { Alert } from './alert.types';
import { EndpointAlertInput, evaluateAlerts, GroupPrimaryInput, recoveredFailovers } from './evaluate-alerts';

/** The reader applied to the environment as the settings schema checks it. */
const alertSettings = (raw: Record<string, string>) => fromEnvironment(regionalDatabaseSettings(raw));

const t = alertSettings({}).thresholds;

function health(overrides: Partial<EndpointHealth> = {}): EndpointHealth {
  return {
    id: 'us-east-replica-1', group: 'us-east', region: 'us-east', isHealthy: true, role: 'replica', readOnly: false, timeline: 1,
    latencyMs: 2, smoothedLatencyMs: 2, replayLsn: '0/3000', currentLsn: null, replicationLagBytes: 0, replicationLagMs: 0,
    replayPaused: false, lastCheckAt: '2026-01-01T00:00:00.000Z', lastError: null, consecutiveFailures: 0, consecutiveSuccesses: 5,
    ...overrides,
  };
}

function input(h: Partial<EndpointHealth>, rest: Partial<Omit<EndpointAlertInput, 'health'>> = {}): EndpointAlertInput {
  return { health: health(h), status: 'up', isGroupPrimary: false, fenced: false, traffic: { queries: 0, errorRate: 0 }, ...rest };
}

const summary = (inputs: EndpointAlertInput[]) => evaluateAlerts(inputs, t).map((c) => `${c.key} ${c.severity}`);

describe('evaluateAlerts', () => {
  it('raises nothing for a healthy topology', () => {
    expect(summary([input({}), input({ id: 'us-east-primary', role: 'primary' }, { isGroupPrimary: true })])).toEqual([]);
  });

  it('raises endpoint_down: high for a replica, critical for the primary, and nothing else for it', () => {
    const down = { isHealthy: false, consecutiveFailures: 2, lastError: 'connect ECONNREFUSED 127.0.0.1:57111', replicationLagMs: 999_999 };
    expect(summary([input(down, { status: 'down' })])).toEqual(['endpoint_down:us-east-replica-1 high']);
    expect(summary([input({ ...down, id: 'us-east-primary', role: 'primary' }, { status: 'down', isGroupPrimary: true })])).toEqual([
      'endpoint_down:us-east-primary critical',
    ]);
    expect(evaluateAlerts([input(down, { status: 'down' })], t)[0].message).toBe(
      'replica us-east-replica-1 is unreachable (2 failed probes): connect ECONNREFUSED 127.0.0.1:57111',
    );
  });

  it('reports a fenced former primary as fenced, never as down, whatever its probes say', () => {
    const fenced = { id: 'us-east-primary', role: 'unknown' as const, isHealthy: false, consecutiveFailures: 4, lastError: 'database "app" is not currently accepting connections' };
    expect(summary([input(fenced, { status: 'down', fenced: true })])).toEqual(['endpoint_fenced:us-east-primary medium']);
    expect(summary([input({ ...fenced, lastError: 'connect ECONNREFUSED 127.0.0.1:57111' }, { status: 'down', fenced: true })])).toEqual(['endpoint_fenced:us-east-primary medium']);
    expect(summary([input(fenced, { status: 'unknown', fenced: true })])).toEqual(['endpoint_fenced:us-east-primary medium']);
    expect(evaluateAlerts([input(fenced, { status: 'down', fenced: true })], t)[0]).toMatchObject({
      type: 'endpoint_fenced',
      endpointId: 'us-east-primary',
      group: 'us-east',
      message: 'former primary us-east-primary is fenced, awaiting rejoin as a replica of the us-east primary (pg_rewind)',
      details: { status: 'down', lastError: fenced.lastError },
    });
  });

  it('raises nothing for an endpoint not judged yet', () => {
    expect(summary([input({ isHealthy: false, consecutiveFailures: 1 }, { status: 'unknown' })])).toEqual([]);
  });

  it.each([
    [999, []],
    [1_000, ['endpoint_slow:us-east-replica-1 medium']],
    [5_000, ['endpoint_slow:us-east-replica-1 high']],
  ])('judges a smoothed probe time of %i ms against 1000 / 5000', (ms, expected) => {
    expect(summary([input({ smoothedLatencyMs: ms })])).toEqual(expected);
  });

  it.each([
    [29_999, 100, []],
    [30_000, 100, ['replication_lag:us-east-replica-1 medium']],
    [300_000, 100, ['replication_lag:us-east-replica-1 high']],
  ])('judges a lag of %i ms against 30 s / 5 min', (ms, bytes, expected) => {
    expect(summary([input({ replicationLagMs: ms, replicationLagBytes: bytes })])).toEqual(expected);
  });

  it('judges lag in bytes too when bounds are configured, the worse of the two wins', () => {
    const withBytes = { ...t, replicationLagWarningBytes: 1_000, replicationLagCriticalBytes: 1_000_000 };
    expect(evaluateAlerts([input({ replicationLagMs: 0, replicationLagBytes: 5_000 })], withBytes).map((c) => c.severity)).toEqual(['medium']);
    expect(evaluateAlerts([input({ replicationLagMs: 40_000, replicationLagBytes: 2_000_000 })], withBytes).map((c) => c.severity)).toEqual(['high']);
  });

  it('says when replay is paused', () => {
    expect(evaluateAlerts([input({ replicationLagMs: 45_000, replicationLagBytes: 9_000_000, replayPaused: true })], t)[0].message).toBe(
      'replica us-east-replica-1 is 45000 ms (9000000 bytes) behind the us-east primary, replay paused',
    );
  });

  it('does not judge the primary by replica lag, nor an unknown lag', () => {
    expect(summary([input({ role: 'primary', replicationLagMs: 400_000 }, { isGroupPrimary: true })])).toEqual([]);
    expect(summary([input({ replicationLagMs: null, replicationLagBytes: null })])).toEqual([]);
  });

  it('judges the error rate of live traffic only with enough queries', () => {
    expect(summary([input({}, { traffic: { queries: 19, errorRate: 0.9 } })])).toEqual([]);
    expect(summary([input({}, { traffic: { queries: 20, errorRate: 0.05 } })])).toEqual(['error_rate:us-east-replica-1 medium']);
    expect(summary([input({}, { traffic: { queries: 100, errorRate: 0.25 } })])).toEqual(['error_rate:us-east-replica-1 high']);
  });
});

describe('recoveredFailovers', () => {
  const raisedAt = '2026-01-01T00:00:00.000Z';
  const later = '2026-01-01T00:00:05.000Z';
  const failed = (subject = 'us-east', endpointId: string | null = null): Alert => ({
    key: `failover_failed:${subject}`, type: 'failover_failed', severity: 'critical', endpointId, group: 'us-east', message: 'Failover of us-east failed: no candidate',
    details: {}, id: 'a1', raisedAt, updatedAt: raisedAt, resolvedAt: null,
  });
  const primary = (h: Partial<EndpointHealth> = {}, rest: Partial<GroupPrimaryInput> = {}): GroupPrimaryInput => ({
    group: 'us-east', primaryId: 'us-east-primary', status: 'up', health: health({ id: 'us-east-primary', role: 'primary', lastCheckAt: later, ...h }), ...rest,
  });

  it('resolves a failed failover once the group primary answers healthy and writable after it, saying so', () => {
    expect(recoveredFailovers([failed()], [primary()], [])).toEqual([
      { key: 'failover_failed:us-east', resolution: 'us-east takes writes again: its primary us-east-primary is healthy and writable' },
    ]);
    // Another primary than the one that failed (promoted by hand, or by another instance) counts as well.
    expect(recoveredFailovers([failed()], [primary({ id: 'us-east-replica-1' }, { primaryId: 'us-east-replica-1' })], [])[0].resolution).toContain('us-east-replica-1');
  });

  it('keeps it while the group has no writable primary', () => {
    const still = [
      primary({ isHealthy: false, consecutiveSuccesses: 0, consecutiveFailures: 3 }, { status: 'down' }),
      primary({}, { status: 'unknown' }),
      primary({ consecutiveSuccesses: 0, consecutiveFailures: 1 }), // up, but its last probe failed
      primary({ role: 'replica' }), // back, but in recovery
      primary({ readOnly: true }),
      primary({}, { primaryId: null, health: null }), // a split brain: an operator must pick
    ];
    for (const p of still) expect(recoveredFailovers([failed()], [p], [])).toEqual([]);
  });

  it('judges only from a probe made after the failure was raised', () => {
    expect(recoveredFailovers([failed()], [primary({ lastCheckAt: raisedAt })], [])).toEqual([]);
    expect(recoveredFailovers([failed()], [primary({ lastCheckAt: null })], [])).toEqual([]);
  });

  it("leaves other groups' alerts alone, and a fenced former primary's while its group merely takes writes", () => {
    expect(recoveredFailovers([failed('us-east-primary', 'us-east-primary')], [primary()], [])).toEqual([]);
    expect(recoveredFailovers([{ ...failed('eu-west'), group: 'eu-west' }], [primary()], [])).toEqual([]);
  });

  it("resolves a fenced former primary's alert once it answers as a replica (rejoined) after it, and only then", () => {
    const formerAlert = failed('us-east-primary', 'us-east-primary');
    const former = (h: Partial<EndpointHealth> = {}, status: GroupPrimaryInput['status'] = 'up') => ({
      status,
      health: health({ id: 'us-east-primary', role: 'replica', lastCheckAt: later, ...h }),
    });
    expect(recoveredFailovers([formerAlert], [primary({ id: 'us-east-replica-1' }, { primaryId: 'us-east-replica-1' })], [former()])).toEqual([
      { key: 'failover_failed:us-east-primary', resolution: 'us-east-primary rejoined us-east as a replica: it takes no writes' },
    ]);
    const still = [
      former({ role: 'primary' }), // still writable (fenced, but out of recovery)
      former({ role: 'unknown', isHealthy: false, consecutiveSuccesses: 0, consecutiveFailures: 2 }, 'down'), // not answering
      former({ lastCheckAt: raisedAt }), // a replica, but seen so before the alert
    ];
    for (const e of still) expect(recoveredFailovers([formerAlert], [primary()], [e])).toEqual([]);
  });
});
