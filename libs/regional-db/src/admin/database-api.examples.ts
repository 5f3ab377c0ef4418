// Example answers of the admin API for its OpenAPI document, taken from a local topology and cut to one
// item per list. Servers appear as host:port/database: no example holds a connection string.

const AT = '2026-01-01T12:00:00.000Z';
const POOL = { size: 2, inUse: 0, idle: 2, waiting: 0, max: 10 };

const ALERT = {
  id: 'c0a8f1e2-5b1d-4a57-9d0e-2f6c1b7e9a10',
  key: 'replication_lag:us-east-replica-2',
  type: 'replication_lag',
  severity: 'high',
  endpointId: 'us-east-replica-2',
  group: 'us-east',
  message: 'us-east-replica-2 is 12.0 MB behind its primary',
  details: { lagBytes: 12_582_912 },
  raisedAt: AT,
  updatedAt: AT,
  resolvedAt: null,
};

const FAILOVER = {
  id: '6f1c2d3e-8a9b-4c5d-9e0f-1a2b3c4d5e6f',
  group: 'us-east',
  trigger: 'manual',
  actor: 'alice',
  planned: true,
  from: 'us-east-primary',
  to: 'us-east-replica-1',
  epoch: 2,
  outcome: 'completed',
  reason: 'planned switchover requested by alice',
  startedAt: AT,
  finishedAt: '2026-01-01T12:00:00.412Z',
  durations: { detectionMs: null, selectionMs: 3, promotionMs: 151, rerouteMs: 1, verifyMs: 28, repointMs: 215, totalMs: 412 },
  lagAtPromotionBytes: 0,
  repointed: ['us-east-replica-2'],
  fenced: { id: 'us-east-primary', wasWritable: true },
};

const ENDPOINT_STATUS = {
  id: 'us-east-primary',
  server: '10.0.1.10:5432/app',
  region: 'us-east',
  roles: [],
  role: 'primary',
  reportedRole: 'primary',
  healthy: true,
  fenced: false,
  latencyMs: 3.21,
  replicationLagBytes: null,
  replicationLagMs: null,
  replayPaused: false,
  timeline: 1,
  lastCheckAt: AT,
  lastError: null,
  pool: POOL,
};

const STATUS = {
  generatedAt: AT,
  coordination: 'available',
  systemHealth: 'healthy',
  primaryHealthy: true,
  primaryRegion: 'us-east',
  defaultRegion: 'us-east',
  activeAlerts: 1,
  avgResponseTime: 4.37,
  replicaHealth: 100,
  lastFailover: FAILOVER.finishedAt,
  groups: [
    {
      name: 'us-east',
      kind: 'regional',
      region: 'us-east',
      priority: 10,
      location: { lat: 38.9, lon: -77.4 },
      primary: 'us-east-primary',
      epoch: 2,
      fenced: [],
      failoverRunning: false,
      failoverPaused: null,
      endpoints: [ENDPOINT_STATUS],
    },
  ],
  alerts: [ALERT],
  failovers: [FAILOVER],
};

const PROBES = { samples: 120, failures: 0, errorRate: 0, p50Ms: 3.2, p95Ms: 6.8, p99Ms: 9.1 };
const TRAFFIC = { windowMs: 60_000, queries: 5_400, failures: 2, errorRate: 0.00037, throughputPerSec: 90, avgLatencyMs: 1.4 };

const METRICS = {
  endpoints: [
    {
      endpointId: 'us-east-primary',
      group: 'us-east',
      region: 'us-east',
      role: 'primary',
      status: 'up',
      isHealthy: true,
      latencyMs: 3.21,
      smoothedLatencyMs: 3.3,
      probes: PROBES,
      recentProbes: [{ at: AT, reachable: true, latencyMs: 3.21 }],
      traffic: TRAFFIC,
      replicationLagBytes: null,
      replicationLagMs: null,
      replayPaused: false,
      replayTimestampAgeMs: null,
      lastCheckAt: AT,
    },
  ],
};

const ROUTING = {
  queriesRouted: {
    total: 5_400,
    byKind: { write: 600, transactional: 40, read: 4_700, analytics: 50, background: 10 },
    byEndpoint: { 'us-east-primary': 650, 'us-east-replica-1': 2_375, 'us-east-replica-2': 2_375 },
    byEndpointAndKind: { 'us-east-primary': { write: 600, transactional: 40, read: 0, analytics: 0, background: 10 } },
  },
  fallbacksToPrimary: 3,
  fallbacksByReason: { 'no-replica-qualifies': 1, 'read-after-write-in-request': 2 },
  retries: 1,
  failedQueries: 0,
  failedByGroupAndKind: {},
  averageLatencyMs: 1.4,
  p95LatencyMs: 4.2,
  since: AT,
};

/** The example answer of each route, by handler name. */
export const DATABASE_API_EXAMPLES = {
  status: STATUS,
  export: {
    exportedAt: AT,
    topology: {
      defaultRegion: 'us-east',
      pool: { max: 10, connectTimeoutMs: 3_000, statementTimeoutMs: 15_000, idleTimeoutMs: 30_000 },
      regions: [{ name: 'us-east', priority: 10, location: { lat: 38.9, lon: -77.4 }, cache: '10.0.1.20:6379' }],
      groups: [
        {
          name: 'us-east',
          kind: 'regional',
          region: 'us-east',
          priority: 10,
          healthIntervalMs: 30_000,
          failoverTimeoutMs: 60_000,
          ssl: false,
          maximumLagOnFailoverBytes: 16_777_216,
          endpoints: [{ id: 'us-east-primary', server: '10.0.1.10:5432/app', region: 'us-east', roles: [], configuredRole: 'primary' }],
        },
      ],
    },
    status: STATUS,
    healthHistory: METRICS.endpoints,
    performance: { summary: { avgResponseTimeMs: 4.37, replicaHealth: 100, throughputPerSec: 90, errorRate: 0.00037 }, endpoints: [] },
    alertHistory: [{ action: 'raised', at: AT, alert: ALERT }],
    failovers: [FAILOVER],
    routing: ROUTING,
  },
  health: {
    systemHealth: { overall: 'healthy', primaryHealthy: true, activeAlerts: 0, avgResponseTimeMs: 4.37, replicaHealth: 100, healthyEndpoints: 10, totalEndpoints: 10, checkedAt: AT },
    groups: [{ group: 'us-east', primaryId: 'us-east-primary', writable: true, reason: null }],
    endpoints: {
      'us-east-replica-1': {
        id: 'us-east-replica-1',
        group: 'us-east',
        region: 'us-east',
        isHealthy: true,
        role: 'replica',
        readOnly: true,
        timeline: 1,
        latencyMs: 3.78,
        smoothedLatencyMs: 3.6,
        replayLsn: '0/4095B78',
        currentLsn: null,
        replicationLagBytes: 0,
        replicationLagMs: 0,
        replayPaused: false,
        lastCheckAt: AT,
        lastError: null,
        consecutiveFailures: 0,
        consecutiveSuccesses: 42,
        status: 'up',
      },
    },
    alerts: [],
    coordination: 'available',
  },
  acknowledgedAlert: { ...ALERT, updatedAt: '2026-01-01T12:03:00.000Z', acknowledged: { by: 'alice', at: '2026-01-01T12:03:00.000Z' } },
  silencedAlert: {
    ...ALERT,
    updatedAt: '2026-01-01T12:04:00.000Z',
    silenced: { by: 'alice', at: '2026-01-01T12:04:00.000Z', until: '2026-01-01T13:04:00.000Z', comment: 'replica being rebuilt' },
  },
  alerts: { active: [ALERT], history: [{ action: 'raised', at: AT, alert: ALERT }], coordination: 'available' },
  metrics: METRICS,
  performance: {
    summary: { avgResponseTimeMs: 4.37, replicaHealth: 100, throughputPerSec: 90, errorRate: 0.00037 },
    endpoints: [
      {
        endpointId: 'us-east-replica-1',
        group: 'us-east',
        role: 'replica',
        isHealthy: true,
        smoothedLatencyMs: 3.6,
        p50Ms: 3.2,
        p95Ms: 6.8,
        p99Ms: 9.1,
        throughputPerSec: 45,
        errorRate: 0,
        replicationLagMs: 0,
        replicationLagBytes: 0,
      },
    ],
  },
  healthCheck: {
    startedAt: AT,
    durationMs: 5,
    groups: ['us-east', 'eu-west', 'asia-pacific', 'global'],
    probes: [{ endpointId: 'us-east-primary', group: 'us-east', reachable: true, latencyMs: 3.01, error: null, status: 'up', isHealthy: true }],
  },
  failover: { success: true, message: 'Failover of us-east completed: us-east-replica-1 is primary (epoch 2)', failover: FAILOVER },
  reconnect: {
    success: true,
    message: 'Reconnected eu-west: 2 pools recreated, primary eu-west-primary (epoch 1)',
    refreshed: ['eu-west-primary', 'eu-west-replica-1'],
    primary: 'eu-west-primary',
    epoch: 1,
  },
  failoverHistory: { failovers: [FAILOVER], total: 1, offset: 0, coordination: 'available' },
  connections: {
    endpoints: [{ id: 'us-east-primary', group: 'us-east', region: 'us-east', role: 'primary', healthy: true, outstanding: 0, pool: POOL }],
    routing: ROUTING,
  },
  refreshConnections: { refreshed: ['eu-west-primary', 'eu-west-replica-1'] },
  analyzeQuery: {
    query: 'SELECT * FROM users WHERE id = $1',
    analysis: {
      isRead: true,
      isWrite: false,
      statementKinds: ['SelectStmt'],
      primaryReasons: [],
      features: { joins: 0, subqueries: 0, aggregates: 0, commonTableExpressions: 0, windowFunctions: 0, setOperations: 0, groupBy: false },
      estimatedComplexity: 'simple',
    },
    operationKind: 'read',
    routeTo: 'replica',
    recommendation: 'Route to the nearest healthy replica for optimal performance',
  },
};
