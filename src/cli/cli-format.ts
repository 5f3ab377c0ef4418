// What the CLI prints for people (`--json` prints the API's answer instead). The shapes are the parts of the
// admin API's answers the tables use.

export interface StatusEndpoint {
  id: string;
  role: string;
  healthy: boolean;
  fenced: boolean;
  replicationLagBytes: number | null;
  replicationLagMs: number | null;
  replayPaused: boolean | null;
  timeline: number | null;
}

export interface StatusGroup {
  name: string;
  epoch: number;
  primary: string | null;
  failoverRunning: boolean;
  failoverPaused: { scope: string; by: string; at: string; reason: string | null } | null;
  endpoints: StatusEndpoint[];
}

export interface HistoryEntry {
  group: string;
  trigger: string;
  actor: string;
  from: string | null;
  to: string | null;
  outcome: string;
  reason: string;
  startedAt: string;
  durations: { totalMs: number };
}

export interface ActiveAlert {
  id: string;
  severity: string;
  type: string;
  group: string | null;
  endpointId: string | null;
  message: string;
  raisedAt: string;
  acknowledged?: { by: string; at: string } | null;
  silenced?: { until: string } | null;
}

/** Columns padded to their widest cell, two spaces apart. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [headers, ...rows].map((cells) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n');
}

/** Like `patronictl list`: one line per endpoint, then what holds a group (maintenance, a failover running). */
export function formatStatus(groups: readonly StatusGroup[]): string {
  const rows = groups.flatMap((g) =>
    g.endpoints.map((e) => [
      g.name,
      e.id,
      e.role === 'primary' ? 'primary' : e.fenced ? 'former primary' : 'replica',
      e.role === 'primary' ? '' : lag(e),
      e.timeline === null ? '?' : String(e.timeline),
      e.fenced ? 'fenced' : '',
      e.healthy ? 'yes' : 'NO',
    ]),
  );
  const notes = groups.flatMap((g) => {
    const lines: string[] = [];
    if (g.primary === null) lines.push(`${g.name}: no writable primary (epoch ${g.epoch})`);
    if (g.failoverRunning) lines.push(`${g.name}: a failover is running`);
    if (g.failoverPaused) {
      const p = g.failoverPaused;
      lines.push(`${g.name}: automatic failover PAUSED (${p.scope === '*' ? 'every group' : 'this group'}) by ${p.by} since ${p.at}${p.reason ? `: ${p.reason}` : ''}`);
    }
    return lines;
  });
  return [table(['GROUP', 'ENDPOINT', 'ROLE', 'LAG', 'TIMELINE', 'FENCED', 'HEALTHY'], rows), ...(notes.length ? ['', ...notes] : [])].join('\n');
}

export function formatHistory(failovers: readonly HistoryEntry[]): string {
  if (!failovers.length) return 'no failovers recorded';
  return table(
    ['STARTED', 'GROUP', 'TRIGGER', 'FROM', 'TO', 'OUTCOME', 'TOTAL', 'REASON'],
    failovers.map((f) => [f.startedAt, f.group, `${f.trigger} (${f.actor})`, f.from ?? '-', f.to ?? '-', f.outcome, `${f.durations.totalMs} ms`, f.reason]),
  );
}

export function formatAlerts(alerts: readonly ActiveAlert[], now = Date.now()): string {
  if (!alerts.length) return 'no active alerts';
  return table(
    ['ID', 'SEVERITY', 'TYPE', 'SUBJECT', 'SINCE', 'STATE', 'MESSAGE'],
    alerts.map((a) => [a.id, a.severity, a.type, a.endpointId ?? a.group ?? 'coordination', a.raisedAt, alertState(a, now), a.message]),
  );
}

function alertState(alert: ActiveAlert, now: number): string {
  const states = [];
  if (alert.acknowledged) states.push(`acked by ${alert.acknowledged.by}`);
  if (alert.silenced && Date.parse(alert.silenced.until) > now) states.push(`silenced until ${alert.silenced.until}`);
  return states.join(', ') || 'open';
}

function lag(e: StatusEndpoint): string {
  if (e.replicationLagBytes === null && e.replicationLagMs === null) return 'unknown';
  const parts = [e.replicationLagBytes === null ? null : bytes(e.replicationLagBytes), e.replicationLagMs === null ? null : `${Math.round(e.replicationLagMs)} ms`];
  return parts.filter(Boolean).join(' / ') + (e.replayPaused ? ' (replay paused)' : '');
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} kB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(1)} GB`;
}
