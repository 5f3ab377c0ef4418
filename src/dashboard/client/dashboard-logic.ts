// The dashboard's decisions and formatting: no DOM access, unit-tested in dashboard-logic.spec.ts.
// Tones: ok (green), warn (amber: lagging, degraded, fenced), down (red), unknown (grey: not probed yet).
import type { AlertStatus, EndpointStatus, GroupStatus, SystemStatus, Tone } from './status';

export interface Verdict {
  tone: Tone;
  reasons: string[];
}

const DEGRADING_ALERTS = ['replication_lag', 'endpoint_slow', 'error_rate'];

export function endpointTone(endpoint: EndpointStatus, alerts: readonly AlertStatus[]): Verdict {
  if (!endpoint.lastCheckAt) return { tone: 'unknown', reasons: ['not probed yet'] };
  if (!endpoint.healthy) return { tone: 'down', reasons: [endpoint.lastError || 'not answering'] };
  const reasons: string[] = [];
  if (endpoint.fenced) reasons.push('fenced: former primary');
  if (endpoint.replayPaused) reasons.push('replay paused');
  const shownRole = endpoint.role === 'former-primary' ? null : endpoint.role;
  if (shownRole && endpoint.reportedRole !== 'unknown' && endpoint.reportedRole !== shownRole) reasons.push('server reports ' + endpoint.reportedRole);
  for (const alert of alerts) {
    if (alert.endpointId === endpoint.id && DEGRADING_ALERTS.includes(alert.type)) reasons.push(alert.type.replace(/_/g, ' ') + ' (' + alert.severity + ')');
  }
  return { tone: reasons.length ? 'warn' : 'ok', reasons };
}

export function groupTone(group: GroupStatus, alerts: readonly AlertStatus[]): Verdict {
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

/** What a node's role chip says: a fenced former primary is neither primary nor replica. */
export function roleLabel(endpoint: EndpointStatus): string {
  return endpoint.role === 'former-primary' ? 'former primary' : endpoint.role;
}

/** The replicas a switchover may promote: healthy, in the group's own role of replica (never a former primary). */
export function switchoverTargets(group: GroupStatus): string[] {
  return group.endpoints.filter((e) => e.role === 'replica' && e.healthy).map((e) => e.id);
}

// The service answers, but without Redis it cannot share state with its peers: say that, not that it is down.
export function coordinationNotice(status: Pick<SystemStatus, 'coordination'>): string | null {
  if (status.coordination !== 'unavailable') return null;
  return "Coordination unavailable: Redis cannot be reached. This is this instance's own view; automatic failover is withheld until Redis is back.";
}

export interface IncidentEvent {
  kind: 'group-down' | 'group-up' | 'failover-started' | 'primary-changed' | 'endpoint-down' | 'endpoint-up';
  group: string;
  text: string;
}

/**
 * What changed between two pictures of the topology, in the order an operator reads an incident: servers
 * down or back, a group losing its writable primary, a failover starting, a new primary. Kept as a log on the
 * page, so a down state that lasted a second is still there to read after the failover ended.
 */
export function incidentEvents(previous: SystemStatus | null, next: SystemStatus): IncidentEvent[] {
  if (!previous) return [];
  const events: IncidentEvent[] = [];
  const before = new Map(previous.groups.map((g) => [g.name, g]));
  for (const group of next.groups) {
    const old = before.get(group.name);
    if (!old) continue;
    const oldEndpoints = new Map(old.endpoints.map((e) => [e.id, e]));
    for (const endpoint of group.endpoints) {
      const was = oldEndpoints.get(endpoint.id);
      if (!was?.lastCheckAt || !endpoint.lastCheckAt || was.healthy === endpoint.healthy) continue;
      events.push(
        endpoint.healthy
          ? { kind: 'endpoint-up', group: group.name, text: endpoint.id + ' answers again' }
          : { kind: 'endpoint-down', group: group.name, text: endpoint.id + ' is down' + (endpoint.lastError ? ': ' + endpoint.lastError : '') },
      );
    }
    const [wasTone, isTone] = [groupTone(old, previous.alerts).tone, groupTone(group, next.alerts).tone];
    if (isTone === 'down' && wasTone !== 'down') events.push({ kind: 'group-down', group: group.name, text: group.name + ': no writable primary (' + groupTone(group, next.alerts).reasons[0] + ')' });
    if (group.failoverRunning && !old.failoverRunning) events.push({ kind: 'failover-started', group: group.name, text: group.name + ': failover running' });
    if (group.primary !== old.primary) events.push({ kind: 'primary-changed', group: group.name, text: group.name + ': primary ' + (old.primary || 'none') + ' → ' + (group.primary || 'none') + ' (epoch ' + group.epoch + ')' });
    if (wasTone === 'down' && isTone !== 'down' && isTone !== 'unknown') events.push({ kind: 'group-up', group: group.name, text: group.name + ': writable again' });
  }
  return events;
}

/** The JWT's roles, read without verifying it (the server does): only to offer the actions it would allow. */
export function tokenRoles(token: string): string[] {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(atob(payload)) as { roles?: unknown };
    return Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [];
  } catch {
    return [];
  }
}

/** `11–20 of 23`, or `none` for an empty history. */
export function pageLabel(offset: number, shown: number, total: number): string {
  if (total === 0 || shown === 0) return 'none';
  return offset + 1 + '–' + (offset + shown) + ' of ' + total;
}

export function formatBytes(bytes: number | null | undefined): string {
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

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  if (ms === 0) return '0 ms';
  if (ms < 1) return ms.toFixed(2) + ' ms';
  if (ms < 100) return ms.toFixed(1) + ' ms';
  if (ms < 10000) return Math.round(ms) + ' ms';
  return (ms / 1000).toFixed(ms < 60000 ? 1 : 0) + ' s';
}

export function formatAgo(iso: string | null, now: number): string {
  if (!iso) return 'never';
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return seconds + ' s ago';
  if (seconds < 3600) return Math.floor(seconds / 60) + ' min ago';
  if (seconds < 86400) return Math.floor(seconds / 3600) + ' h ago';
  return Math.floor(seconds / 86400) + ' d ago';
}

/** The complete events at the start of a text/event-stream `buffer` (their `data`), and the incomplete rest. */
export function takeServerSentEvents(buffer: string): { data: string[]; rest: string } {
  const blocks = buffer.replace(/\r\n/g, '\n').split('\n\n');
  const rest = blocks.pop() ?? '';
  const data = blocks
    .map((block) =>
      block
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(line.startsWith('data: ') ? 6 : 5))
        .join('\n'),
    )
    .filter(Boolean);
  return { data, rest };
}
