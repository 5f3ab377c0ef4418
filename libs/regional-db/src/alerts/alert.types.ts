/**
 * Seed 002's alert types, plus `error_rate` for its error-rate thresholds, `coordination_unavailable` (Redis) and
 * `endpoint_fenced` (a former primary fenced on purpose, awaiting rejoin: not down).
 */
export const ALERT_TYPES = [
  'endpoint_down',
  'endpoint_fenced',
  'endpoint_slow',
  'replication_lag',
  'error_rate',
  'failover_triggered',
  'failover_completed',
  'failover_failed',
  'coordination_unavailable',
] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

export const ALERT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** Conditions the health monitor raises and clears itself, every round. */
export const HEALTH_ALERT_TYPES: readonly AlertType[] = ['endpoint_down', 'endpoint_fenced', 'endpoint_slow', 'replication_lag', 'error_rate'];
/** Events, not conditions: recorded in the history, never active. */
export const ONE_SHOT_ALERT_TYPES: readonly AlertType[] = ['failover_triggered', 'failover_completed'];

/** The subject of alerts about the instance's coordination store (Redis), not about a database. */
export const COORDINATION_SUBJECT = 'coordination';

/** A condition that should be active: what `evaluateAlerts` produces and `raise` records. */
export interface AlertCondition {
  /** `<type>:<endpoint id or group>`: one active alert per key, however long the condition lasts. */
  key: string;
  type: AlertType;
  severity: AlertSeverity;
  endpointId: string | null;
  group: string | null;
  message: string;
  details: Record<string, unknown>;
}

export interface Alert extends AlertCondition {
  id: string;
  raisedAt: string;
  updatedAt: string;
  resolvedAt: string | null;
  /** Why it resolved, when the resolver said so (a recovery, a failover, an operator's pick). */
  resolution?: string | null;
  /** An operator has seen it (cleared when it escalates: a worse condition needs a new look). */
  acknowledged?: AlertAcknowledgement | null;
  /** Webhook notifications of it held until `until`; its resolution is still posted. */
  silenced?: AlertSilence | null;
}

export interface AlertAcknowledgement {
  by: string;
  at: string;
}

export interface AlertSilence {
  by: string;
  at: string;
  until: string;
  comment: string | null;
}

/** What an operator sets on an active alert. */
export type AlertAnnotation = Pick<Alert, 'acknowledged'> | Pick<Alert, 'silenced'>;

export type AlertAction = 'raised' | 'escalated' | 'resolved' | 'acknowledged' | 'silenced';

/** Whether `alert` is silenced at `now` (ms). */
export function isSilenced(alert: Pick<Alert, 'silenced'>, now: number): boolean {
  return !!alert.silenced && Date.parse(alert.silenced.until) > now;
}

/** One change of the alert set: emitted as an event, posted to the webhook, kept in the history. */
export interface AlertEvent {
  action: AlertAction;
  at: string;
  alert: Alert;
}

export function alertKey(type: AlertType, subject: string): string {
  return `${type}:${subject}`;
}

export function severityRank(severity: AlertSeverity): number {
  return ALERT_SEVERITIES.indexOf(severity);
}
