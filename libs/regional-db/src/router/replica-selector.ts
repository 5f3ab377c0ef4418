import type { EndpointConfig, EndpointRole, ReplicationGroupConfig } from '../config/topology.types';
import { lagAt, type LagSample } from '../health/replication-lag';

/** The operation kinds of seed 004 that read and may therefore go to a replica. */
export type ReadKind = 'read' | 'analytics' | 'background';

export const ROLE_BITS: Record<EndpointRole, number> = { read: 1, analytics: 2, background: 4, dr: 8 };

export function roleBits(roles: readonly EndpointRole[]): number {
  return roles.reduce((bits, role) => bits | ROLE_BITS[role], 0);
}

/**
 * The roles an endpoint serves with while it is a replica. A configured primary has none of its own, but once
 * a failover made it a replica (rejoined with pg_rewind) it is an in-region replica like the others: without
 * `read` it would only get reads when no other replica qualifies.
 */
export function replicaRoles(endpoint: EndpointConfig, group: Pick<ReplicationGroupConfig, 'primary'>): readonly EndpointRole[] {
  return endpoint.id === group.primary.id ? ['read'] : endpoint.roles;
}

/**
 * One endpoint of a replication group as the selector sees it. The static part is computed once from the
 * topology; the live part is refreshed in place by the router before each decision (no allocation).
 */
export interface ReplicaCandidate {
  readonly id: string;
  /** Configured roles as `ROLE_BITS`. */
  readonly roleBits: number;
  /** Great-circle kilometres from each region (indexed as the topology's regions) to this endpoint. */
  readonly distanceKm: readonly number[];
  /** The group's current primary (from the topology state, not from configuration). */
  isPrimary: boolean;
  /** Healthy, not fenced, and not a stray writable server. */
  available: boolean;
  smoothedLatencyMs: number | null;
  /** The health monitor's last lag reading (refreshed about every second); null until one is known. */
  lag: LagSample | null;
  /** Last replay position the health monitor saw (a lower bound of the real one). */
  replayLsn: bigint | null;
  /** Queries this process has in flight on the endpoint. */
  outstanding: number;
}

export interface SelectionRequest {
  kind: ReadKind;
  /** Index of the caller's region in the topology's regions. */
  callerRegion: number;
  maxLagMs: number | null;
  maxLagBytes: number | null;
  /** Read-your-writes: only an endpoint that has replayed this position qualifies. */
  minLsn: bigint | null;
  /** An endpoint that just failed this query (the retry goes elsewhere). */
  excludeId: string | null;
  /** A counter the caller advances per decision: rotates among otherwise equal endpoints. */
  turn: number;
  /** When the decision is made: lag readings are judged at this time, not when they were taken. */
  now: number;
}

export type SelectionReason = 'preferred-role' | 'replica' | 'no-replica-qualifies' | 'no-endpoint';

export interface Selection {
  endpoint: ReplicaCandidate | null;
  reason: SelectionReason;
  /** True when a read went to the primary because no replica qualified. */
  fallback: boolean;
}

/**
 * Round-trip times this close to the best are equal: probe jitter on a busy host must not break load balancing,
 * while a remote or struggling server (tens of ms more) is still left out. Geography is the next criterion.
 */
const RTT_TOLERANCE_RATIO = 1.5;
const RTT_TOLERANCE_MS = 10;
const DISTANCE_TOLERANCE_KM = 1;
/**
 * In-flight counts this close to the lowest are equal, so equals simply rotate (an even spread whatever their
 * speed); a replica that piles up queries beyond it (slow but alive) is passed over until it drains.
 */
const OUTSTANDING_SLACK = 4;

/**
 * Where one read goes. Among replicas that are available, under the lag bound and past `minLsn`: those with
 * the kind's role first, then any replica; within that, nearest by smoothed RTT (within 50 % or 10 ms counts as
 * equal), then by distance
 * from the caller's region, then fewest outstanding queries, rotating among ties. No replica qualifies:
 * the primary (`fallback`) if it is available itself. Allocation-free apart from the returned object.
 */
export function selectEndpoint(candidates: readonly ReplicaCandidate[], request: SelectionRequest): Selection {
  const preferredBits = ROLE_BITS[request.kind];
  let endpoint = pickReplica(candidates, request, preferredBits);
  if (endpoint) return { endpoint, reason: 'preferred-role', fallback: false };
  endpoint = pickReplica(candidates, request, 0);
  if (endpoint) return { endpoint, reason: 'replica', fallback: false };
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i];
    if (c.isPrimary && c.available && c.id !== request.excludeId) return { endpoint: c, reason: 'no-replica-qualifies', fallback: true };
  }
  return { endpoint: null, reason: 'no-endpoint', fallback: true };
}

function qualifies(c: ReplicaCandidate, request: SelectionRequest, requiredBits: number): boolean {
  return (
    !c.isPrimary &&
    c.available &&
    (c.roleBits & requiredBits) === requiredBits &&
    c.id !== request.excludeId &&
    (request.maxLagMs === null || c.lag === null || lagAt(c.lag, request.now) <= request.maxLagMs) &&
    (request.maxLagBytes === null || c.lag === null || c.lag.bytes <= request.maxLagBytes) &&
    (request.minLsn === null || (c.replayLsn !== null && c.replayLsn >= request.minLsn))
  );
}

function pickReplica(candidates: readonly ReplicaCandidate[], request: SelectionRequest, requiredBits: number): ReplicaCandidate | null {
  // 1. the best measured RTT among qualifying replicas (unknown RTT: not measured yet, counts as near)
  let found = false;
  let bestRtt = Infinity;
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i];
    if (!qualifies(c, request, requiredBits)) continue;
    found = true;
    if (c.smoothedLatencyMs !== null && c.smoothedLatencyMs < bestRtt) bestRtt = c.smoothedLatencyMs;
  }
  if (!found) return null;
  const rttLimit = bestRtt === Infinity ? Infinity : Math.max(bestRtt * RTT_TOLERANCE_RATIO, bestRtt + RTT_TOLERANCE_MS);
  // 2. among the near ones: least distance, then fewest outstanding
  let bestDistance = Infinity;
  let bestOutstanding = Infinity;
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i];
    if (!isNear(c, request, requiredBits, rttLimit)) continue;
    const distance = c.distanceKm[request.callerRegion] ?? 0;
    if (distance < bestDistance - DISTANCE_TOLERANCE_KM) {
      bestDistance = distance;
      bestOutstanding = c.outstanding;
    } else if (distance <= bestDistance + DISTANCE_TOLERANCE_KM && c.outstanding < bestOutstanding) {
      bestOutstanding = c.outstanding;
    }
  }
  // 3. rotate among the equals
  let ties = 0;
  for (let i = 0; i < candidates.length; i++) {
    if (isBest(candidates[i], request, requiredBits, rttLimit, bestDistance, bestOutstanding)) ties++;
  }
  let pick = request.turn % ties;
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i];
    if (isBest(c, request, requiredBits, rttLimit, bestDistance, bestOutstanding) && pick-- === 0) return c;
  }
  return null;
}

function isNear(c: ReplicaCandidate, request: SelectionRequest, requiredBits: number, rttLimit: number): boolean {
  return qualifies(c, request, requiredBits) && (c.smoothedLatencyMs === null || c.smoothedLatencyMs <= rttLimit);
}

function isBest(
  c: ReplicaCandidate,
  request: SelectionRequest,
  requiredBits: number,
  rttLimit: number,
  bestDistance: number,
  bestOutstanding: number,
): boolean {
  return (
    isNear(c, request, requiredBits, rttLimit) &&
    Math.abs((c.distanceKm[request.callerRegion] ?? 0) - bestDistance) <= DISTANCE_TOLERANCE_KM &&
    c.outstanding <= bestOutstanding + OUTSTANDING_SLACK
  );
}
