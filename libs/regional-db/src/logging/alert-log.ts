import type { Alert, AlertSeverity } from '../alerts/alert.types';

export type AlertLogLevel = 'log' | 'warn' | 'error' | 'fatal';

/** The log level of an alert's line: as severe as the alert (a resolution is news, not a problem). */
export function alertLogLevel(action: string, severity: AlertSeverity): AlertLogLevel {
  // A resolution, or an operator's acknowledgement or silence, is news, not trouble.
  if (action === 'resolved' || action === 'acknowledged' || action === 'silenced') return 'log';
  return ({ low: 'log', medium: 'warn', high: 'error', critical: 'fatal' } as const)[severity];
}

/** An alert's line: what it is as fields an operator filters on (type, severity, group, endpoint), the message as `msg`. */
export function alertLogLine(action: string, alert: Alert): Record<string, unknown> {
  return {
    msg: `alert ${action}: ${alert.message}${action === 'resolved' && alert.resolution ? ` (${alert.resolution})` : ''}`,
    alert: action,
    alertId: alert.id,
    type: alert.type,
    severity: alert.severity,
    group: alert.group,
    endpoint: alert.endpointId,
  };
}
