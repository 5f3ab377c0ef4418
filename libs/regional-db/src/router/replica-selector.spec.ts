import { describe, expect, it } from '@jest/globals';
import type { LagSample } from '../health/replication-lag';
import type { EndpointConfig } from '../config/topology.types';
import { ReplicaCandidate, SelectionRequest, replicaRoles, roleBits, selectEndpoint } from './replica-selector';

// Regions by index: 0 us-east, 1 eu-west, 2 asia-pacific.
const DISTANCES: Record<string, number[]> = {
  'us-east': [0, 5465, 15538],
  'eu-west': [5465, 0, 11200],
  'asia-pacific': [15538, 11200, 0],
};

const NOW = 100_000;
const caughtUp: LagSample = { at: NOW - 500, bytes: 0, behindSince: null, freshUntil: NOW + 1_500 };
/** A replica read `ageMs` ago, missing what the primary had `behindMs` before that. */
const behindBy = (behindMs: number, ageMs = 0, bytes = 4096): LagSample => ({ at: NOW - ageMs, bytes, behindSince: NOW - ageMs - behindMs, freshUntil: NOW - ageMs + 2_000 });

function candidate(id: string, overrides: Partial<ReplicaCandidate> & { region?: string; roles?: Parameters<typeof roleBits>[0] } = {}): ReplicaCandidate {
  const { region = 'us-east', roles = ['read'], ...live } = overrides;
  return {
    id,
    roleBits: roleBits(roles),
    distanceKm: DISTANCES[region],
    isPrimary: false,
    available: true,
    smoothedLatencyMs: 1,
    lag: caughtUp,
    replayLsn: 1000n,
    outstanding: 0,
    ...live,
  };
}

const primary = (overrides: Partial<ReplicaCandidate> = {}) => candidate('primary', { isPrimary: true, roles: [], ...overrides });

function request(overrides: Partial<SelectionRequest> = {}): SelectionRequest {
  return { kind: 'read', callerRegion: 0, maxLagMs: null, maxLagBytes: null, minLsn: null, excludeId: null, turn: 0, now: NOW, ...overrides };
}

function pick(candidates: ReplicaCandidate[], overrides: Partial<SelectionRequest> = {}): string | null {
  return selectEndpoint(candidates, request(overrides)).endpoint?.id ?? null;
}

describe('selectEndpoint', () => {
  it('never reads from the primary while a replica qualifies', () => {
    const selection = selectEndpoint([primary({ smoothedLatencyMs: 0.1 }), candidate('r1', { smoothedLatencyMs: 1.5 })], request());
    expect(selection).toEqual(expect.objectContaining({ reason: 'preferred-role', fallback: false }));
    expect(selection.endpoint?.id).toBe('r1');
  });

  it('skips unavailable replicas and falls back to the primary when none is left', () => {
    const r1 = candidate('r1', { available: false });
    expect(pick([primary(), r1, candidate('r2')])).toBe('r2');
    const selection = selectEndpoint([primary(), r1, candidate('r2', { available: false })], request());
    expect(selection).toEqual(expect.objectContaining({ reason: 'no-replica-qualifies', fallback: true }));
    expect(selection.endpoint?.id).toBe('primary');
  });

  it('reports no endpoint when the group has no primary and no replica qualifies', () => {
    expect(selectEndpoint([candidate('r1', { available: false })], request())).toEqual({ endpoint: null, reason: 'no-endpoint', fallback: true });
  });

  it('does not fall back to a primary that is down itself (a whole region out)', () => {
    const down = [primary({ available: false }), candidate('r1', { available: false })];
    expect(selectEndpoint(down, request())).toEqual({ endpoint: null, reason: 'no-endpoint', fallback: true });
  });

  it('avoids a replica over the lag bound (the lagging one really has the larger lag)', () => {
    const lagging = candidate('lagging', { lag: behindBy(4_000, 0, 27_000_000) });
    const fresh = candidate('fresh', { lag: caughtUp });
    for (let turn = 0; turn < 4; turn++) expect(pick([primary(), lagging, fresh], { maxLagMs: 1_000, turn })).toBe('fresh');
    for (let turn = 0; turn < 4; turn++) expect(pick([primary(), lagging, fresh], { maxLagBytes: 1_000_000, turn })).toBe('fresh');
    // Without a bound both take turns; with a bound above the lag too.
    expect(new Set([0, 1].map((turn) => pick([primary(), lagging, fresh], { turn })))).toEqual(new Set(['lagging', 'fresh']));
    expect(new Set([0, 1].map((turn) => pick([primary(), lagging, fresh], { maxLagMs: 5_000, turn })))).toEqual(new Set(['lagging', 'fresh']));
    // Every replica lagging: the primary.
    expect(pick([primary(), lagging], { maxLagMs: 1_000 })).toBe('primary');
  });

  it('judges lag at decision time: a replica behind keeps aging between readings', () => {
    // Read 800 ms ago, 4.5 s behind then: 5.3 s behind now, over a 5 s bound.
    expect(pick([primary(), candidate('paused', { lag: behindBy(4_500, 800) })], { maxLagMs: 5_000 })).toBe('primary');
    expect(pick([primary(), candidate('paused', { lag: behindBy(4_000, 800) })], { maxLagMs: 5_000 })).toBe('paused');
  });

  it('trusts a caught-up reading while fresh, then only up to its age (a replica nobody can read)', () => {
    // Paused replay on an idle primary: 0 bytes behind, not stale.
    expect(pick([primary(), candidate('idle', { lag: caughtUp })], { maxLagMs: 1_000 })).toBe('idle');
    const old = (ageMs: number): LagSample => ({ at: NOW - ageMs, bytes: 0, behindSince: null, freshUntil: NOW - ageMs + 2_000 });
    expect(pick([primary(), candidate('quiet', { lag: old(4_000) })], { maxLagMs: 5_000 })).toBe('quiet');
    expect(pick([primary(), candidate('quiet', { lag: old(6_000) })], { maxLagMs: 5_000 })).toBe('primary');
    // Never read yet (before the first round): not judged.
    expect(pick([primary(), candidate('new', { lag: null })], { maxLagMs: 1_000 })).toBe('new');
  });

  it('reads after a write only from a replica that replayed past it, else from the primary', () => {
    const behind = candidate('behind', { replayLsn: 0x3000000n });
    const past = candidate('past', { replayLsn: 0x3000060n });
    const unknown = candidate('unknown', { replayLsn: null });
    for (let turn = 0; turn < 4; turn++) expect(pick([primary(), behind, past, unknown], { minLsn: 0x3000060n, turn })).toBe('past');
    expect(pick([primary(), behind, unknown], { minLsn: 0x3000060n })).toBe('primary');
    // 1/0 is past 0/FFFFFFFF: the comparison is numeric across the halves.
    expect(pick([primary(), candidate('high', { replayLsn: 0x1_0000_0000n })], { minLsn: 0xffffffffn })).toBe('high');
  });

  it('prefers the nearest by RTT, treating jitter within 50 % or 10 ms as equal', () => {
    const near = candidate('near', { smoothedLatencyMs: 1 });
    const jitter = candidate('jitter', { smoothedLatencyMs: 10.9 });
    const far = candidate('far', { smoothedLatencyMs: 80 });
    const seen = new Set([0, 1, 2, 3].map((turn) => pick([primary(), near, jitter, far], { turn })));
    expect(seen).toEqual(new Set(['near', 'jitter']));
    // 50 % of 100 ms is 50 ms: 145 ms is equal to 100 ms, 160 ms is not.
    const a = candidate('a', { smoothedLatencyMs: 100 });
    const b = candidate('b', { smoothedLatencyMs: 145 });
    const c = candidate('c', { smoothedLatencyMs: 160 });
    expect(new Set([0, 1, 2, 3].map((turn) => pick([a, b, c], { turn })))).toEqual(new Set(['a', 'b']));
  });

  it('treats a not yet measured RTT as near (routing works before the first health round)', () => {
    const seen = new Set([0, 1].map((turn) => pick([primary(), candidate('r1', { smoothedLatencyMs: null }), candidate('r2', { smoothedLatencyMs: null })], { turn })));
    expect(seen).toEqual(new Set(['r1', 'r2']));
  });

  it('among equally near RTTs, picks the one closest to the caller region', () => {
    const dublin = candidate('dublin', { region: 'eu-west' });
    const singapore = candidate('singapore', { region: 'asia-pacific' });
    for (let turn = 0; turn < 3; turn++) {
      expect(pick([primary(), dublin, singapore], { callerRegion: 0, turn })).toBe('dublin');
      expect(pick([primary(), dublin, singapore], { callerRegion: 2, turn })).toBe('singapore');
    }
  });

  it('passes over a replica piling up queries, and rotates among equals', () => {
    const stuck = candidate('stuck', { outstanding: 9 });
    const idle = candidate('idle', { outstanding: 1 });
    for (let turn = 0; turn < 3; turn++) expect(pick([stuck, idle], { turn })).toBe('idle');
    // A few more in flight is still equal: the rotation, not the race between queries, decides.
    const busier = candidate('busier', { outstanding: 3 });
    expect([0, 1].map((turn) => pick([busier, idle], { turn }))).toEqual(['busier', 'idle']);
    const counts = new Map<string, number>();
    const replicas = [primary(), candidate('r1'), candidate('r2'), candidate('r3')];
    for (let turn = 0; turn < 999; turn++) {
      const id = pick(replicas, { turn })!;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    expect(counts).toEqual(new Map([['r1', 333], ['r2', 333], ['r3', 333]]));
  });

  it('analytics and background prefer their role, then any replica, then the primary', () => {
    const reader = candidate('reader', { roles: ['read'] });
    const analyst = candidate('analyst', { roles: ['analytics'] });
    const worker = candidate('worker', { roles: ['background'] });
    for (let turn = 0; turn < 3; turn++) {
      expect(pick([primary(), reader, analyst, worker], { kind: 'analytics', turn })).toBe('analyst');
      expect(pick([primary(), reader, analyst, worker], { kind: 'background', turn })).toBe('worker');
      expect(pick([primary(), reader, analyst, worker], { kind: 'read', turn })).toBe('reader');
    }
    const selection = selectEndpoint([primary(), reader], request({ kind: 'analytics' }));
    expect(selection).toEqual(expect.objectContaining({ reason: 'replica', fallback: false }));
    expect(pick([primary(), candidate('r', { roles: ['read'], available: false })], { kind: 'background' })).toBe('primary');
  });

  it('the retry excludes the endpoint that failed, including the primary', () => {
    expect(pick([primary(), candidate('r1'), candidate('r2')], { excludeId: 'r1', turn: 0 })).toBe('r2');
    expect(pick([primary(), candidate('r1'), candidate('r2')], { excludeId: 'r1', turn: 1 })).toBe('r2');
    expect(pick([primary(), candidate('r1')], { excludeId: 'r1' })).toBe('primary');
    expect(pick([primary()], { excludeId: 'primary' })).toBeNull();
  });
});

describe('replicaRoles', () => {
  const endpoint = (id: string, roles: EndpointConfig['roles']) => ({ id, roles }) as EndpointConfig;
  const group = { primary: endpoint('us-east-primary', []) };

  it('gives a configured primary serving as a replica (rejoined after a failover) the read role', () => {
    expect(replicaRoles(group.primary, group)).toEqual(['read']);
  });

  it('keeps the configured roles of a replica', () => {
    expect(replicaRoles(endpoint('us-east-replica-1', ['read', 'analytics']), group)).toEqual(['read', 'analytics']);
    expect(replicaRoles(endpoint('us-east-dr', ['dr']), group)).toEqual(['dr']);
  });
});
