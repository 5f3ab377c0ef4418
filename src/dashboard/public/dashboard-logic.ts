/**
 * The dashboard's decisions and formatting, as the browser runs them: plain JavaScript with no DOM access,
 * served before the page script and unit-tested by evaluating this same text (dashboard-logic.spec.ts).
 * Tones: ok (green), warn (amber: lagging, degraded, fenced), down (red), unknown (grey: not probed yet).
 */
export const DASHBOARD_LOGIC = String.raw`
const DEGRADING_ALERTS = ['replication_lag', 'endpoint_slow', 'error_rate'];

function endpointTone(endpoint, alerts) {
  if (!endpoint.lastCheckAt) return { tone: 'unknown', reasons: ['not probed yet'] };
  if (!endpoint.healthy) return { tone: 'down', reasons: [endpoint.lastError || 'not answering'] };
  const reasons = [];
  if (endpoint.fenced) reasons.push('fenced: former primary');
  if (endpoint.replayPaused) reasons.push('replay paused');
  if (endpoint.reportedRole !== 'unknown' && endpoint.reportedRole !== endpoint.role) reasons.push('server reports ' + endpoint.reportedRole);
  for (const alert of alerts) {
    if (alert.endpointId === endpoint.id && DEGRADING_ALERTS.includes(alert.type)) reasons.push(alert.type.replace(/_/g, ' ') + ' (' + alert.severity + ')');
  }
  return { tone: reasons.length ? 'warn' : 'ok', reasons };
}

function groupTone(group, alerts) {
  const primary = group.endpoints.find((e) => e.id === group.primary);
  if (!primary) return { tone: 'down', reasons: ['no primary (failover in progress or failed)'] };
  const primaryTone = endpointTone(primary, alerts).tone;
  if (primaryTone === 'down') return { tone: 'down', reasons: ['primary ' + primary.id + ' is down'] };
  if (group.failoverRunning) return { tone: 'warn', reasons: ['failover running'] };
  const tones = group.endpoints.map((e) => endpointTone(e, alerts).tone);
  const degraded = tones.filter((t) => t !== 'ok').length;
  if (primaryTone === 'unknown') return { tone: 'unknown', reasons: ['not probed yet'] };
  if (degraded) return { tone: 'warn', reasons: [degraded + ' of ' + tones.length + ' servers degraded'] };
  return { tone: 'ok', reasons: [] };
}

// The service answers, but without Redis it cannot share state with its peers: say that, not that it is down.
function coordinationNotice(status) {
  if (status.coordination !== 'unavailable') return null;
  return 'Coordination unavailable: Redis cannot be reached. This is this instance\'s own view; automatic failover is withheld until Redis is back.';
}

function formatBytes(bytes) {
  if (bytes === null || bytes === undefined) return '–';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return (unit === 0 ? String(Math.round(value)) : value.toFixed(value < 10 ? 1 : 0)) + ' ' + units[unit];
}

function formatMs(ms) {
  if (ms === null || ms === undefined) return '–';
  if (ms === 0) return '0 ms';
  if (ms < 1) return ms.toFixed(2) + ' ms';
  if (ms < 100) return ms.toFixed(1) + ' ms';
  if (ms < 10000) return Math.round(ms) + ' ms';
  return (ms / 1000).toFixed(ms < 60000 ? 1 : 0) + ' s';
}

function formatAgo(iso, now) {
  if (!iso) return 'never';
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return seconds + ' s ago';
  if (seconds < 3600) return Math.floor(seconds / 60) + ' min ago';
  if (seconds < 86400) return Math.floor(seconds / 3600) + ' h ago';
  return Math.floor(seconds / 86400) + ' d ago';
}
`;
