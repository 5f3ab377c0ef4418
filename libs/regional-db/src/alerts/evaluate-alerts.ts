import type { EndpointHealth } from '../health/endpoint-health';
import type { EndpointStatus } from '../health/verdict';
import type { AlertThresholds } from './alert.settings';
import { Alert, AlertCondition, AlertSeverity, AlertType, alertKey } from './alert.types';

/** What the alert rules look at for one endpoint. */
export interface EndpointAlertInput {
  health: EndpointHealth;
  status: EndpointStatus;
  /** The endpoint the topology state currently names as its group's primary. */
  isGroupPrimary: boolean;
  /** The topology state marks it as a fenced former primary (never routed to until rejoined). */
  fenced: boolean;
  /** Live traffic in the recent window. */
  traffic: { queries: number; errorRate: number };
}

/**
 * The alert conditions the endpoints' state calls for. Severities follow seed 002: a warning threshold is
 * `medium` (degradation), a critical one `high` (service impact); an unreachable replica is `high`, an
 * unreachable primary `critical` (writes are down, failover is due). A down endpoint raises nothing else:
 * its latency and lag are stale. A fenced former primary is refused to the app's role on purpose, so it is
 * reported as fenced (`medium`: the group has one server fewer until it is rejoined), never as down.
 */
export function evaluateAlerts(inputs: readonly EndpointAlertInput[], t: AlertThresholds): AlertCondition[] {
  const conditions: AlertCondition[] = [];
  for (const { health: h, status, isGroupPrimary, fenced, traffic } of inputs) {
    const raise = (type: AlertType, severity: AlertSeverity, message: string, details: Record<string, unknown>) =>
      conditions.push({ key: alertKey(type, h.id), type, severity, endpointId: h.id, group: h.group, message, details });
    const name = `${isGroupPrimary ? 'primary' : 'replica'} ${h.id}`;

    if (fenced) {
      raise('endpoint_fenced', 'medium', `former primary ${h.id} is fenced, awaiting rejoin as a replica of the ${h.group} primary (pg_rewind)`, {
        status,
        lastError: h.lastError,
        lastCheckAt: h.lastCheckAt,
      });
      continue;
    }

    if (status === 'down') {
      raise(
        'endpoint_down',
        isGroupPrimary ? 'critical' : 'high',
        `${name} is unreachable (${h.consecutiveFailures} failed probes): ${h.lastError ?? 'no answer'}`,
        { consecutiveFailures: h.consecutiveFailures, lastError: h.lastError, lastCheckAt: h.lastCheckAt },
      );
      continue;
    }
    if (status !== 'up') continue;

    const latency = h.smoothedLatencyMs;
    const slow = level(latency, t.responseTimeWarningMs, t.responseTimeCriticalMs);
    if (slow) {
      raise('endpoint_slow', slow, `${name} answers probes in ${Math.round(latency!)} ms (warning ${t.responseTimeWarningMs} ms, critical ${t.responseTimeCriticalMs} ms)`, {
        smoothedLatencyMs: latency,
        latencyMs: h.latencyMs,
      });
    }

    if (!isGroupPrimary && h.role === 'replica') {
      const lag = worst(
        level(h.replicationLagMs, t.replicationLagWarningMs, t.replicationLagCriticalMs),
        level(h.replicationLagBytes, t.replicationLagWarningBytes, t.replicationLagCriticalBytes),
      );
      if (lag) {
        raise(
          'replication_lag',
          lag,
          `${name} is ${h.replicationLagMs} ms (${h.replicationLagBytes} bytes) behind the ${h.group} primary${h.replayPaused ? ', replay paused' : ''}`,
          { replicationLagMs: h.replicationLagMs, replicationLagBytes: h.replicationLagBytes, replayPaused: h.replayPaused, replayLsn: h.replayLsn },
        );
      }
    }

    if (traffic.queries >= t.errorRateMinQueries) {
      const errors = level(traffic.errorRate, t.errorRateWarning, t.errorRateCritical);
      if (errors) {
        raise('error_rate', errors, `${name} failed ${(traffic.errorRate * 100).toFixed(1)} % of ${traffic.queries} recent queries`, {
          errorRate: traffic.errorRate,
          queries: traffic.queries,
        });
      }
    }
  }
  return conditions;
}

/** A group's current primary (the topology state's) as this instance's health monitor sees it. */
export interface GroupPrimaryInput {
  group: string;
  /** null while the group has none (a split brain waiting for an operator). */
  primaryId: string | null;
  health: EndpointHealth | null;
  status: EndpointStatus;
}

/** An active alert to resolve, and why. */
export interface AlertResolution {
  key: string;
  resolution: string;
}

/**
 * The `failover_failed` alerts whose condition is over, judged only from a probe made after the alert was
 * raised (a verdict from before the failure says nothing about after it):
 * - a group's: its current primary (the old one back by itself, or another) is up and answered as a writable
 *   primary;
 * - a fenced former primary's (it came back writable): it answers in recovery, a replica again (rejoined), so
 *   it can no longer take a write that forks history.
 */
export function recoveredFailovers(
  active: readonly Alert[],
  primaries: readonly GroupPrimaryInput[],
  endpoints: readonly Pick<EndpointAlertInput, 'health' | 'status'>[],
): AlertResolution[] {
  const resolutions: AlertResolution[] = [];
  const answeredSince = (h: EndpointHealth, status: EndpointStatus, alert: Alert) =>
    status === 'up' && h.consecutiveSuccesses > 0 && h.lastCheckAt !== null && Date.parse(h.lastCheckAt) > Date.parse(alert.raisedAt);
  for (const alert of active) {
    if (alert.type !== 'failover_failed') continue;
    if (alert.endpointId !== null) {
      const former = endpoints.find((e) => e.health.id === alert.endpointId);
      if (former && former.health.role === 'replica' && answeredSince(former.health, former.status, alert)) {
        resolutions.push({ key: alert.key, resolution: `${alert.endpointId} rejoined ${alert.group} as a replica: it takes no writes` });
      }
      continue;
    }
    const primary = primaries.find((p) => p.group === alert.group);
    const h = primary?.health;
    if (!primary?.primaryId || !h || h.role !== 'primary' || h.readOnly || !answeredSince(h, primary.status, alert)) continue;
    resolutions.push({ key: alert.key, resolution: `${primary.group} takes writes again: its primary ${primary.primaryId} is healthy and writable` });
  }
  return resolutions;
}

function level(value: number | null, warning: number | null, critical: number | null): AlertSeverity | null {
  if (value === null) return null;
  if (critical !== null && value >= critical) return 'high';
  if (warning !== null && value >= warning) return 'medium';
  return null;
}

function worst(a: AlertSeverity | null, b: AlertSeverity | null): AlertSeverity | null {
  if (a === 'high' || b === 'high') return 'high';
  return a ?? b;
}
