import { describe, expect, it } from '@jest/globals';
import type { EndpointHealth } from '../health/endpoint-health';
import { checkPrimary, GroupSnapshot, groupReadiness, readinessReport, readReplicas } from './group-readiness';

const health = (id: string, overrides: Partial<EndpointHealth> = {}): EndpointHealth => ({
  id, group: id.split('-').slice(0, 2).join('-'), region: 'us-east', isHealthy: true, role: id.includes('primary') ? 'primary' : 'replica', readOnly: false,
  timeline: 1, latencyMs: 2, smoothedLatencyMs: 2, replayLsn: null, currentLsn: '0/1', replicationLagBytes: 0, replicationLagMs: 0, replayPaused: false,
  lastCheckAt: '2026-01-01T00:00:00.000Z', lastError: 'connect ECONNREFUSED 127.0.0.1:5432', consecutiveFailures: 0, consecutiveSuccesses: 3, ...overrides,
});

const group = (name: string, overrides: Record<string, Partial<EndpointHealth>> = {}, state: Partial<GroupSnapshot> = {}): GroupSnapshot => ({
  group: name,
  primaryId: `${name}-primary`,
  fenced: [],
  endpoints: [`${name}-primary`, `${name}-replica-1`, `${name}-replica-2`].map((id) => health(id, overrides[id])),
  ...state,
});

describe('checkPrimary', () => {
  it.each([
    ['a healthy writable primary', {}, {}, null],
    ['no primary assigned', {}, { primaryId: null }, 'no primary assigned (failover in progress or failed)'],
    ['never probed', { 'us-east-primary': { lastCheckAt: null, isHealthy: false } }, {}, 'us-east-primary has not been probed yet'],
    ['unreachable (no error text, no address)', { 'us-east-primary': { isHealthy: false } }, {}, 'us-east-primary is not healthy'],
    ['still in recovery', { 'us-east-primary': { role: 'replica' } }, {}, 'us-east-primary is in recovery'],
    ['fenced read-only', { 'us-east-primary': { readOnly: true } }, {}, 'us-east-primary is read-only'],
  ] as const)('%s', (_, endpoints, state, reason) => {
    const snapshot = group('us-east', endpoints as Record<string, Partial<EndpointHealth>>, state);
    expect(checkPrimary(snapshot)).toEqual({ writable: reason === null, primary: snapshot.primaryId, reason });
  });
});

describe('readReplicas', () => {
  it('lists the healthy, unfenced replicas within the lag bound, as the router would read them', () => {
    const snapshot = group('us-east', { 'us-east-replica-1': { replicationLagMs: 5_000 } });
    expect(readReplicas(snapshot, null)).toEqual(['us-east-replica-1', 'us-east-replica-2']);
    expect(readReplicas(snapshot, 5_000)).toEqual(['us-east-replica-1', 'us-east-replica-2']);
    expect(readReplicas(snapshot, 100)).toEqual(['us-east-replica-2']);
  });

  it('leaves out down, unprobed, fenced and stray writable servers, and the primary itself', () => {
    const snapshot = group(
      'us-east',
      {},
      { endpoints: [health('us-east-primary'), health('us-east-replica-1', { isHealthy: false }), health('us-east-replica-2', { role: 'primary' }), health('us-east-replica-3', { lastCheckAt: null }), health('us-east-replica-4')], fenced: ['us-east-replica-4'] },
    );
    expect(readReplicas(snapshot, null)).toEqual([]);
  });

  it('counts a replica whose lag cannot be measured (primary position unknown) as within the bound', () => {
    expect(readReplicas(group('eu-west', { 'eu-west-primary': { isHealthy: false }, 'eu-west-replica-1': { replicationLagMs: null } }), 100)).toEqual(['eu-west-replica-1', 'eu-west-replica-2']);
  });
});

describe('groupReadiness', () => {
  it('is writable with a writable primary, listing endpoints by id with role, health and replica lag only', () => {
    expect(groupReadiness(group('us-east', { 'us-east-replica-2': { isHealthy: false, replicationLagMs: 40 } }))).toEqual({
      status: 'writable',
      primary: 'us-east-primary',
      readReplicas: ['us-east-replica-1'],
      endpoints: {
        'us-east-primary': { healthy: true, role: 'primary' },
        'us-east-replica-1': { healthy: true, role: 'replica', lagMs: 0 },
        'us-east-replica-2': { healthy: false, role: 'replica', lagMs: 40 },
      },
    });
  });

  it('is read-only while only replicas serve, and lost when nothing does', () => {
    const down = { isHealthy: false };
    expect(groupReadiness(group('ap', { 'ap-primary': down }))).toMatchObject({ status: 'read-only', reason: 'ap-primary is not healthy', readReplicas: ['ap-replica-1', 'ap-replica-2'] });
    expect(groupReadiness(group('ap', { 'ap-primary': down, 'ap-replica-1': down, 'ap-replica-2': down }))).toMatchObject({ status: 'lost', readReplicas: [] });
  });
});

describe('readinessReport', () => {
  const down = { isHealthy: false };
  const lost = (name: string) => group(name, { [`${name}-primary`]: down, [`${name}-replica-1`]: down, [`${name}-replica-2`]: down });

  it('stays ready with a group impaired or lost, reporting it', () => {
    const report = readinessReport([group('us-east'), group('eu-west', { 'eu-west-primary': down }), lost('ap')]);
    expect(report).toMatchObject({ status: 'ready', impaired: ['eu-west', 'ap'] });
    expect(report.reason).toBeUndefined();
    expect(Object.values(report.groups).map((g) => g.status)).toEqual(['writable', 'read-only', 'lost']);
  });

  it('is unready only when every group is lost, or there is no group at all', () => {
    expect(readinessReport([lost('us-east'), lost('ap')])).toMatchObject({ status: 'unready', reason: 'every replication group is lost', impaired: ['us-east', 'ap'] });
    expect(readinessReport([])).toEqual({ status: 'unready', reason: 'no topology state', impaired: [], groups: {} });
  });

  it('never carries error text or addresses', () => {
    const text = JSON.stringify(readinessReport([lost('us-east'), group('ap', { 'ap-primary': down })]));
    expect(text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|5432/);
  });
});
