import { createHash } from 'node:crypto';
import type { AlertEvent } from './alert.types';

/** Alertmanager's "zero" end time: the alert has not ended. */
const NOT_ENDED = '0001-01-01T00:00:00Z';
const RECEIVER = 'regional-db-router';

/**
 * One alert change as Alertmanager's webhook receivers get it (`version` 4), so that anything that takes
 * Alertmanager's webhooks takes these: labels `alertname` (the type), `severity`, `group`, `endpoint`;
 * annotations `summary` (the message), `action` (what changed) and, once resolved, `resolution` (why) when
 * the resolver gave one. The fingerprint is the condition key's: the same for every change of one alert.
 */
export function alertmanagerPayload(event: AlertEvent) {
  const { alert } = event;
  const status = event.action === 'resolved' ? 'resolved' : 'firing';
  const labels: Record<string, string> = { alertname: alert.type, severity: alert.severity, service: RECEIVER };
  if (alert.group) labels.group = alert.group;
  if (alert.endpointId) labels.endpoint = alert.endpointId;
  const annotations: Record<string, string> = { summary: alert.message, action: event.action };
  if (status === 'resolved' && alert.resolution) annotations.resolution = alert.resolution;
  return {
    version: '4',
    groupKey: `{}:{alertname="${alert.type}"}`,
    truncatedAlerts: 0,
    status,
    receiver: RECEIVER,
    groupLabels: { alertname: alert.type },
    commonLabels: labels,
    commonAnnotations: annotations,
    externalURL: '',
    alerts: [
      {
        status,
        labels,
        annotations,
        startsAt: alert.raisedAt,
        endsAt: status === 'resolved' ? (alert.resolvedAt ?? event.at) : NOT_ENDED,
        generatorURL: '',
        fingerprint: createHash('sha256').update(alert.key).digest('hex').slice(0, 16),
      },
    ],
  };
}
