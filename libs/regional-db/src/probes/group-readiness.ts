import type { EndpointHealth } from '../health/endpoint-health';

/** One replication group as the probes see it: its state (topology state) and its endpoints' health (monitor). */
export interface GroupSnapshot {
  group: string;
  primaryId: string | null;
  fenced: readonly string[];
  endpoints: readonly EndpointHealth[];
}

/** `writable`: a writable primary; `read-only`: only replicas serve reads; `lost`: nothing serves. */
export type GroupStatus = 'writable' | 'read-only' | 'lost';

export interface PrimaryCheck {
  writable: boolean;
  primary: string | null;
  /** Why it takes no writes, in words safe for a public body (endpoint ids only, never error text). */
  reason: string | null;
}

export interface EndpointSummary {
  healthy: boolean;
  role: EndpointHealth['role'];
  lagMs?: number;
}

export interface GroupReadiness {
  status: GroupStatus;
  primary: string | null;
  reason?: string;
  /** Replicas serving reads now (any lag). */
  readReplicas: string[];
  endpoints: Record<string, EndpointSummary>;
}

export interface ReadinessReport {
  status: 'ready' | 'unready';
  reason?: string;
  /** Groups that are not fully writable, by name: the body says what an instance can still serve. */
  impaired: string[];
  groups: Record<string, GroupReadiness>;
}

/** The group's current primary takes writes: judged, healthy, out of recovery, not fenced read-only. */
export function checkPrimary(snapshot: GroupSnapshot): PrimaryCheck {
  const id = snapshot.primaryId;
  const no = (reason: string): PrimaryCheck => ({ writable: false, primary: id, reason });
  if (id === null) return no('no primary assigned (failover in progress or failed)');
  const health = snapshot.endpoints.find((e) => e.id === id);
  if (!health || health.lastCheckAt === null) return no(`${id} has not been probed yet`);
  if (!health.isHealthy) return no(`${id} is not healthy`);
  if (health.role !== 'primary') return no(`${id} is in recovery`);
  if (health.readOnly) return no(`${id} is read-only`);
  return { writable: true, primary: id, reason: null };
}

/**
 * Replicas that serve reads within `maxLagMs` (null: any lag), as the router chooses them: judged healthy,
 * in recovery, not fenced. An unknown lag (the primary's position not known, e.g. it is down) counts as within
 * the bound, as it does for routing: those replicas do serve the group's reads.
 */
export function readReplicas(snapshot: GroupSnapshot, maxLagMs: number | null): string[] {
  return snapshot.endpoints
    .filter((e) => e.id !== snapshot.primaryId && servesReads(e, snapshot))
    .filter((e) => maxLagMs === null || e.replicationLagMs === null || e.replicationLagMs <= maxLagMs)
    .map((e) => e.id);
}

export function groupReadiness(snapshot: GroupSnapshot): GroupReadiness {
  const primary = checkPrimary(snapshot);
  const replicas = readReplicas(snapshot, null);
  const status: GroupStatus = primary.writable ? 'writable' : replicas.length > 0 ? 'read-only' : 'lost';
  return {
    status,
    primary: primary.primary,
    ...(primary.reason === null ? {} : { reason: primary.reason }),
    readReplicas: replicas,
    endpoints: Object.fromEntries(snapshot.endpoints.map((e) => [e.id, endpointSummary(e)])),
  };
}

/**
 * Ready while this instance can serve some group: a group without a writable primary is reported, not a reason
 * to take the instance out of rotation (its other regions, and that group's reads, still work). Unready only
 * with no group at all, or every group lost.
 */
export function readinessReport(snapshots: readonly GroupSnapshot[]): ReadinessReport {
  const groups = Object.fromEntries(snapshots.map((s) => [s.group, groupReadiness(s)]));
  const impaired = Object.entries(groups).filter(([, g]) => g.status !== 'writable').map(([name]) => name);
  const serving = Object.values(groups).some((g) => g.status !== 'lost');
  if (serving) return { status: 'ready', impaired, groups };
  const reason = snapshots.length === 0 ? 'no topology state' : 'every replication group is lost';
  return { status: 'unready', reason, impaired, groups };
}

function servesReads(e: EndpointHealth, snapshot: GroupSnapshot): boolean {
  return e.lastCheckAt !== null && e.isHealthy && e.role === 'replica' && !snapshot.fenced.includes(e.id);
}

function endpointSummary(e: EndpointHealth): EndpointSummary {
  const healthy = e.lastCheckAt !== null && e.isHealthy;
  return { healthy, role: e.role, ...(e.role === 'replica' && e.replicationLagMs !== null ? { lagMs: e.replicationLagMs } : {}) };
}
