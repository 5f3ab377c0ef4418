import type { EndpointHealth } from './endpoint-health';

/** Whether a replication group has a primary that takes writes, and if not, why. */
export interface PrimaryVerdict {
  group: string;
  primaryId: string | null;
  writable: boolean;
  reason: string | null;
}

export interface SystemHealthSummary {
  overall: 'healthy' | 'degraded' | 'critical';
  /** Every group's primary is healthy and writable. */
  primaryHealthy: boolean;
  activeAlerts: number;
  /** Mean smoothed probe time of the healthy endpoints. */
  avgResponseTimeMs: number | null;
  /** Percentage of healthy replicas (endpoints that are neither their group's primary nor a fenced former one). */
  replicaHealth: number | null;
  healthyEndpoints: number;
  totalEndpoints: number;
}

/** The group's current primary (per the topology state) judged from its health: reachable, out of recovery, not fenced read-only. */
export function primaryVerdict(group: string, primaryId: string | null, health: EndpointHealth | null): PrimaryVerdict {
  const verdict = (reason: string | null) => ({ group, primaryId, writable: reason === null, reason });
  if (primaryId === null || health === null) return verdict('no primary assigned (failover in progress or failed)');
  if (health.lastCheckAt === null) return verdict(`${primaryId} has not been probed yet`);
  if (!health.isHealthy) return verdict(`${primaryId} is not healthy: ${health.lastError ?? 'no answer yet'}`);
  if (health.role === 'replica') return verdict(`${primaryId} is in recovery (pg_is_in_recovery() = true)`);
  if (health.readOnly) return verdict(`${primaryId} is read-only (default_transaction_read_only = on)`);
  return verdict(null);
}

/** Seed 002's system health: critical without a writable primary somewhere, degraded with any unhealthy endpoint or alert. */
export function summarizeSystemHealth(
  primaries: readonly PrimaryVerdict[],
  endpoints: readonly EndpointHealth[],
  activeAlerts: number,
  formerPrimaries: ReadonlySet<string> = new Set(),
): SystemHealthSummary {
  const primaryIds = new Set(primaries.map((p) => p.primaryId));
  const healthy = endpoints.filter((e) => e.isHealthy);
  // A fenced former primary serves nothing until it is rejoined: counting it would call a dead server a sick replica.
  const replicas = endpoints.filter((e) => !primaryIds.has(e.id) && !formerPrimaries.has(e.id));
  const latencies = healthy.map((e) => e.smoothedLatencyMs).filter((ms): ms is number => ms !== null);
  const primaryHealthy = primaries.every((p) => p.writable);
  return {
    overall: !primaryHealthy ? 'critical' : healthy.length < endpoints.length || activeAlerts > 0 ? 'degraded' : 'healthy',
    primaryHealthy,
    activeAlerts,
    avgResponseTimeMs: latencies.length ? Math.round((latencies.reduce((a, b) => a + b, 0) / latencies.length) * 100) / 100 : null,
    replicaHealth: replicas.length ? Math.round((replicas.filter((e) => e.isHealthy).length * 100) / replicas.length) : null,
    healthyEndpoints: healthy.length,
    totalEndpoints: endpoints.length,
  };
}
