// Response schemas of the admin API (the handlers return plain objects), one per handler name, beside the
// examples of database-api.examples.ts. test/openapi.e2e-spec.ts validates real answers against them.
import { anyObject, arr, bool, dateTime, int, map, nullable, num, obj, oneOf, optional, str } from '../openapi/schema';

const coordination = oneOf('available', 'unavailable', 'disabled');
const severity = oneOf('low', 'medium', 'high', 'critical');
const pool = obj({ size: int, inUse: int, idle: int, waiting: int, max: int }, 'Connections of this instance: waiting counts callers queued for one');
const endpointStatus = oneOf('unknown', 'up', 'down');

const alert = obj({
  id: str,
  key: str,
  type: str,
  severity,
  endpointId: nullable(str),
  group: nullable(str),
  message: str,
  details: anyObject,
  raisedAt: dateTime,
  updatedAt: dateTime,
  resolvedAt: nullable(dateTime),
  resolution: optional(nullable(str)),
  acknowledged: optional(nullable(obj({ by: str, at: dateTime }))),
  silenced: optional(nullable(obj({ by: str, at: dateTime, until: dateTime, comment: nullable(str) }))),
});
const alertEvent = obj({ action: oneOf('raised', 'escalated', 'resolved', 'acknowledged', 'silenced'), at: dateTime, alert });

const failoverRecord = obj({
  id: str,
  group: str,
  trigger: oneOf('automatic', 'manual'),
  actor: str,
  planned: bool,
  from: nullable(str),
  to: nullable(str),
  epoch: nullable(int),
  outcome: oneOf('completed', 'failed', 'skipped'),
  reason: str,
  startedAt: dateTime,
  finishedAt: dateTime,
  durations: obj({
    detectionMs: nullable(num),
    selectionMs: nullable(num),
    promotionMs: nullable(num),
    rerouteMs: nullable(num),
    verifyMs: nullable(num),
    repointMs: nullable(num),
    totalMs: num,
  }),
  lagAtPromotionBytes: nullable(num),
  repointed: arr(str),
  fenced: nullable(obj({ id: str, wasWritable: bool })),
  quorum: optional(nullable(obj({ live: arr(str), votes: arr(str), needed: int, reached: bool }))),
});

const kinds = obj({ write: int, transactional: int, read: int, analytics: int, background: int });
const routing = obj({
  queriesRouted: obj({ total: int, byKind: kinds, byEndpoint: map(int), byEndpointAndKind: map(kinds) }),
  fallbacksToPrimary: int,
  fallbacksByReason: map(int),
  retries: int,
  failedQueries: int,
  failedByGroupAndKind: map(kinds),
  averageLatencyMs: num,
  p95LatencyMs: num,
  since: dateTime,
});

/** What names a replication group, in the status and the topology of the export. */
const groupIdentity = { name: str, kind: oneOf('regional', 'global'), region: str, priority: num };
const location = nullable(obj({ lat: num, lon: num }));

const pause = obj({ scope: str, by: str, at: dateTime, reason: nullable(str) });

const status = obj({
  generatedAt: dateTime,
  coordination,
  systemHealth: oneOf('healthy', 'degraded', 'critical'),
  primaryHealthy: bool,
  primaryRegion: nullable(str),
  defaultRegion: str,
  activeAlerts: int,
  avgResponseTime: nullable(num),
  replicaHealth: nullable(num),
  lastFailover: nullable(dateTime),
  groups: arr(
    obj({
      ...groupIdentity,
      location,
      primary: nullable(str),
      epoch: int,
      fenced: arr(str),
      failoverRunning: bool,
      failoverPaused: nullable(pause),
      endpoints: arr(
        obj({
          id: str,
          server: str,
          region: str,
          roles: arr(str),
          role: oneOf('primary', 'replica', 'former-primary'),
          reportedRole: oneOf('primary', 'replica', 'unknown'),
          healthy: bool,
          fenced: bool,
          latencyMs: nullable(num),
          replicationLagBytes: nullable(num),
          replicationLagMs: nullable(num),
          replayPaused: bool,
          timeline: nullable(int),
          lastCheckAt: nullable(dateTime),
          lastError: nullable(str),
          pool: nullable(pool),
        }),
      ),
    }),
  ),
  alerts: arr(alert),
  failovers: arr(failoverRecord),
});

const endpointHealth = obj({
  id: str,
  group: str,
  region: str,
  isHealthy: bool,
  role: oneOf('primary', 'replica', 'unknown'),
  readOnly: bool,
  timeline: nullable(int),
  latencyMs: nullable(num),
  smoothedLatencyMs: nullable(num),
  replayLsn: nullable(str),
  currentLsn: nullable(str),
  replicationLagBytes: nullable(num),
  replicationLagMs: nullable(num),
  replayPaused: bool,
  lastCheckAt: nullable(dateTime),
  lastError: nullable(str),
  consecutiveFailures: int,
  consecutiveSuccesses: int,
  status: endpointStatus,
});

const endpointMetrics = obj({
  endpointId: str,
  group: str,
  region: str,
  role: oneOf('primary', 'replica', 'unknown'),
  status: endpointStatus,
  isHealthy: bool,
  latencyMs: nullable(num),
  smoothedLatencyMs: nullable(num),
  probes: obj({ samples: int, failures: int, errorRate: num, p50Ms: nullable(num), p95Ms: nullable(num), p99Ms: nullable(num) }),
  recentProbes: arr(obj({ at: dateTime, reachable: bool, latencyMs: num })),
  traffic: obj({ windowMs: int, queries: int, failures: int, errorRate: num, throughputPerSec: num, avgLatencyMs: nullable(num) }),
  replicationLagBytes: nullable(num),
  replicationLagMs: nullable(num),
  replayPaused: bool,
  replayTimestampAgeMs: nullable(num),
  lastCheckAt: nullable(dateTime),
});

const performance = obj({
  summary: obj({ avgResponseTimeMs: nullable(num), replicaHealth: nullable(num), throughputPerSec: num, errorRate: num }),
  endpoints: arr(
    obj({
      endpointId: str,
      group: str,
      role: oneOf('primary', 'replica', 'unknown'),
      isHealthy: bool,
      smoothedLatencyMs: nullable(num),
      p50Ms: nullable(num),
      p95Ms: nullable(num),
      p99Ms: nullable(num),
      throughputPerSec: num,
      errorRate: num,
      replicationLagMs: nullable(num),
      replicationLagBytes: nullable(num),
    }),
  ),
});

/** The schema of each handler's answer, by handler name. */
export const DATABASE_API_SCHEMAS = {
  status,
  export: obj({
    exportedAt: dateTime,
    topology: obj({
      defaultRegion: str,
      pool: obj({ max: int, connectTimeoutMs: int, statementTimeoutMs: int, idleTimeoutMs: int }),
      regions: arr(obj({ name: str, priority: num, location, cache: optional(nullable(str)) })),
      groups: arr(
        obj({
          ...groupIdentity,
          healthIntervalMs: int,
          failoverTimeoutMs: int,
          ssl: { oneOf: [bool, oneOf('require', 'verify-full')], description: 'false, require or verify-full' },
          maximumLagOnFailoverBytes: num,
          endpoints: arr(obj({ id: str, server: str, region: str, roles: arr(str), configuredRole: oneOf('primary', 'replica') })),
        }),
      ),
    }),
    status,
    healthHistory: arr(endpointMetrics),
    performance,
    alertHistory: arr(alertEvent),
    failovers: arr(failoverRecord),
    routing,
  }),
  health: obj({
    systemHealth: obj({
      overall: oneOf('healthy', 'degraded', 'critical'),
      primaryHealthy: bool,
      activeAlerts: int,
      avgResponseTimeMs: nullable(num),
      replicaHealth: nullable(num),
      healthyEndpoints: int,
      totalEndpoints: int,
      checkedAt: dateTime,
    }),
    groups: arr(obj({ group: str, primaryId: nullable(str), writable: bool, reason: nullable(str) })),
    endpoints: map(endpointHealth),
    alerts: arr(alert),
    coordination,
  }),
  alerts: obj({ active: arr(alert), history: arr(alertEvent), coordination }),
  alert,
  metrics: obj({ endpoints: arr(endpointMetrics) }),
  performance,
  healthCheck: obj({
    startedAt: dateTime,
    durationMs: num,
    groups: arr(str),
    probes: arr(obj({ endpointId: str, group: str, reachable: bool, latencyMs: num, error: nullable(str), status: endpointStatus, isHealthy: bool })),
  }),
  failover: obj({ success: bool, message: str, failover: nullable(failoverRecord) }),
  reconnect: obj({ success: bool, message: str, refreshed: arr(str), primary: nullable(str), epoch: int }),
  failoverHistory: obj({ failovers: arr(failoverRecord), total: int, offset: int, coordination }),
  connections: obj({
    endpoints: arr(obj({ id: str, group: str, region: str, role: oneOf('primary', 'replica'), healthy: bool, outstanding: int, pool })),
    routing,
  }),
  refreshConnections: obj({ refreshed: arr(str) }),
  analyzeQuery: obj({
    query: str,
    analysis: obj({
      isRead: bool,
      isWrite: bool,
      statementKinds: arr(str),
      primaryReasons: arr(str),
      features: obj({ joins: int, subqueries: int, aggregates: int, commonTableExpressions: int, windowFunctions: int, setOperations: int, groupBy: bool }),
      estimatedComplexity: str,
    }),
    operationKind: oneOf('write', 'transactional', 'read', 'analytics', 'background'),
    routeTo: oneOf('primary', 'replica'),
    recommendation: str,
  }),
};
