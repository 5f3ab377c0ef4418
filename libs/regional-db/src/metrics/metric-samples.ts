import { ALERT_SEVERITIES, ALERT_TYPES } from '../alerts/alert.types';
import type { Alert, AlertSeverity, AlertType } from '../alerts/alert.types';
import type { FailoverRecord } from '../failover/failover-record';

export interface AlertCount {
  type: AlertType;
  severity: AlertSeverity;
  count: number;
}

/** Every type x severity, zero where nothing is active: a query can tell "none active" from "no data". */
export function activeAlertCounts(alerts: readonly Pick<Alert, 'type' | 'severity'>[]): AlertCount[] {
  return ALERT_TYPES.flatMap((type) =>
    ALERT_SEVERITIES.map((severity) => ({ type, severity, count: alerts.filter((a) => a.type === type && a.severity === severity).length })),
  );
}

/**
 * Failovers in `records` (newest first, as history lists them) not counted yet and finished at or after
 * `since`, oldest first; marks them in `seen`.
 */
export function unseenFailovers(records: readonly FailoverRecord[], seen: Set<string>, since: number): FailoverRecord[] {
  const fresh = records.filter((r) => !seen.has(r.id) && Date.parse(r.finishedAt) >= since).reverse();
  for (const r of fresh) seen.add(r.id);
  return fresh;
}
