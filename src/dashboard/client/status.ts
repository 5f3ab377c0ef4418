// The parts of the admin API's answers the dashboard reads (`GET /api/database/status`, its event stream,
// `GET /api/database/failover-history`), as the browser receives them: JSON, dates as ISO strings.

export type Tone = 'ok' | 'warn' | 'down' | 'unknown';

export interface EndpointStatus {
  id: string;
  server: string;
  region: string;
  /** `former-primary`: fenced after a failover, serving nothing until it is rejoined as a replica. */
  role: 'primary' | 'replica' | 'former-primary';
  reportedRole: 'primary' | 'replica' | 'unknown';
  healthy: boolean;
  fenced: boolean;
  latencyMs: number | null;
  replicationLagBytes: number | null;
  replicationLagMs: number | null;
  replayPaused: boolean;
  timeline: number | null;
  lastCheckAt: string | null;
  lastError: string | null;
  pool: { inUse: number; max: number; waiting: number } | null;
}

export interface GroupStatus {
  name: string;
  kind: 'region' | 'global';
  region: string;
  priority: number;
  primary: string | null;
  epoch: number;
  failoverRunning: boolean;
  endpoints: EndpointStatus[];
}

export interface AlertStatus {
  id: string;
  type: string;
  severity: string;
  endpointId?: string | null;
  group?: string | null;
  message: string;
  raisedAt: string;
}

export interface FailoverStatus {
  id: string;
  group: string;
  trigger: string;
  planned: boolean;
  from: string | null;
  to: string | null;
  epoch: number | null;
  outcome: 'completed' | 'failed' | 'skipped';
  reason: string;
  finishedAt: string;
  durations: { detectionMs: number | null; promotionMs: number | null; totalMs: number };
}

export interface SystemStatus {
  generatedAt: string;
  coordination: 'available' | 'unavailable' | 'disabled';
  systemHealth: 'healthy' | 'degraded' | 'critical';
  primaryHealthy: boolean;
  activeAlerts: number;
  avgResponseTime: number | null;
  replicaHealth: number | null;
  lastFailover: string | null;
  groups: GroupStatus[];
  alerts: AlertStatus[];
  failovers: FailoverStatus[];
}

export interface FailoverHistoryPage {
  failovers: FailoverStatus[];
  total: number;
  offset: number;
}
