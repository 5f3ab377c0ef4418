import { describe, expect, it } from '@jest/globals';
import type { EndpointHealth } from '../health/endpoint-health';
import type { GroupSnapshot } from './group-readiness';
import { primaryProbe, readOnlyProbe, replicaProbe } from './group-probes';

const endpoint = (id: string, overrides: Partial<EndpointHealth> = {}) =>
  ({ id, group: 'eu-west', isHealthy: true, role: id.endsWith('primary') ? 'primary' : 'replica', readOnly: false, lastCheckAt: '2026-01-01T00:00:00.000Z', replicationLagMs: 0, lastError: null, ...overrides }) as EndpointHealth;

const snapshot = (primary: Partial<EndpointHealth> = {}, replica: Partial<EndpointHealth> = {}): GroupSnapshot => ({
  group: 'eu-west',
  primaryId: 'eu-west-primary',
  fenced: [],
  endpoints: [endpoint('eu-west-primary', primary), endpoint('eu-west-replica-1', replica)],
});

describe('per-group probes', () => {
  it('primary: up naming the primary while it is writable, down with the reason otherwise', () => {
    expect(primaryProbe(snapshot())).toEqual({ group: 'eu-west', check: 'primary', status: 'up', endpoints: ['eu-west-primary'] });
    expect(primaryProbe(snapshot({ isHealthy: false }))).toEqual({ group: 'eu-west', check: 'primary', status: 'down', endpoints: [], reason: 'eu-west-primary is not healthy' });
  });

  it('replica: up while a replica within the lag serves reads', () => {
    const lagging = snapshot({}, { replicationLagMs: 2_500 });
    expect(replicaProbe(lagging, 600_000)).toEqual({ group: 'eu-west', check: 'replica', status: 'up', endpoints: ['eu-west-replica-1'], maxLagMs: 600_000 });
    expect(replicaProbe(lagging, null)).toMatchObject({ status: 'up', maxLagMs: null });
    expect(replicaProbe(lagging, 100)).toEqual({ group: 'eu-west', check: 'replica', status: 'down', endpoints: [], maxLagMs: 100, reason: 'no replica within 100 ms of lag serves reads' });
    expect(replicaProbe(snapshot({}, { isHealthy: false }), null)).toMatchObject({ status: 'down', reason: 'no replica serves reads' });
  });

  it('read-only: up while the primary or any replica serves reads', () => {
    expect(readOnlyProbe(snapshot())).toMatchObject({ status: 'up', endpoints: ['eu-west-primary', 'eu-west-replica-1'] });
    expect(readOnlyProbe(snapshot({ isHealthy: false }))).toMatchObject({ status: 'up', endpoints: ['eu-west-replica-1'] });
    expect(readOnlyProbe(snapshot({ isHealthy: false }, { isHealthy: false }))).toEqual({ group: 'eu-west', check: 'read-only', status: 'down', endpoints: [], reason: 'no endpoint serves reads' });
  });
});
