// The dashboard's page script: sign-in with a bearer token kept in sessionStorage, the status pushed by
// `GET /api/database/events` (server-sent events read with fetch, which can send the token), the topology
// drawn with DOM nodes (text only, never HTML from the server), an incident log, the failover history a page at
// a time, and an admin's switchover behind a confirmation. Elements carry data-group / data-endpoint /
// data-role / data-tone for the end-to-end test.
import {
  coordinationNotice,
  endpointTone,
  formatAgo,
  formatBytes,
  formatMs,
  groupTone,
  incidentEvents,
  pageLabel,
  roleLabel,
  switchoverTargets,
  takeServerSentEvents,
  tokenRoles,
} from './dashboard-logic.js';
import type { AlertStatus, EndpointStatus, FailoverHistoryPage, FailoverStatus, GroupStatus, SystemStatus } from './status';

const TOKEN_KEY = 'db-dashboard.token';
const RECONNECT_MS = 1000;
const HISTORY_PAGE = 10;
const LOG_KEEP = 50;
const HEALTH_TONES: Record<string, string> = { healthy: 'ok', degraded: 'warn', critical: 'down' };
const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

type Child = Node | string | null | undefined | false;
type Attributes = Record<string, string | number | boolean | null | undefined>;

/** Signed out: the stream stops and the token is forgotten. */
class Unauthorized extends Error {}

let stream: AbortController | null = null;
let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
let last: SystemStatus | null = null;
let historyOffset = 0;
let newestFailover: string | null | undefined;

function $<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error('#' + id + ' is missing from the page');
  return element as T;
}

function h(tag: string, attrs: Attributes = {}, children: Child | Child[] = []): HTMLElement {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = String(value);
    else if (key === 'text') el.textContent = String(value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of Array.isArray(children) ? children : [children]) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child);
  }
  return el;
}

const token = () => sessionStorage.getItem(TOKEN_KEY);
const isAdmin = () => tokenRoles(token() ?? '').includes('admin');

async function api(path: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(path, {
    ...init,
    headers: { Authorization: 'Bearer ' + token(), Accept: 'application/json', ...(init.body ? { 'Content-Type': 'application/json' } : {}) },
    cache: 'no-store',
  });
  if (response.status === 401 || response.status === 403) {
    const body = (await response.json().catch(() => ({}))) as { message?: string };
    // A viewer refused an admin action keeps the dashboard; a refused read signs out.
    if (response.status === 403 && init.method === 'POST') throw new Error(body.message || 'this token may not do that');
    throw new Unauthorized(response.status === 403 ? 'this token has neither the viewer nor the admin role' : body.message || 'the token was refused');
  }
  return response;
}

function showLogin(message?: string): void {
  stopStream();
  last = null;
  sessionStorage.removeItem(TOKEN_KEY);
  for (const id of ['board', 'overall', 'sign-out', 'banner']) $(id).hidden = true;
  $('updated').textContent = '';
  $('login').hidden = false;
  $('login-error').hidden = !message;
  $('login-error').textContent = message ? 'Signed out: ' + message + '.' : '';
  $<HTMLInputElement>('token').value = '';
  $('token').focus();
}

function showBanner(text: string | null): void {
  $('banner').textContent = text ?? '';
  $('banner').hidden = !text;
}

function stopStream(): void {
  clearTimeout(reconnectTimer);
  stream?.abort();
  stream = null;
}

/** Reads the pushed pictures until the stream ends, then reconnects; a refused token signs out. */
async function follow(): Promise<void> {
  stopStream();
  if (!token()) return showLogin();
  const controller = new AbortController();
  stream = controller;
  try {
    const response = await api('/api/database/events', { signal: controller.signal });
    if (!response.ok || !response.body) throw new Error('HTTP ' + response.status);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error('the stream ended');
      const taken = takeServerSentEvents(buffer + value);
      buffer = taken.rest;
      for (const data of taken.data) show(JSON.parse(data) as SystemStatus);
    }
  } catch (error) {
    if (controller.signal.aborted) return;
    if (error instanceof Unauthorized) return showLogin(error.message);
    showBanner('Cannot reach the service (' + (error as Error).message + '). Showing the last known state; reconnecting.');
    reconnectTimer = setTimeout(() => void follow(), RECONNECT_MS);
  }
}

function show(status: SystemStatus): void {
  const events = incidentEvents(last, status);
  last = status;
  render(status);
  logEvents(events);
  showBanner(coordinationNotice(status));
  // A new failover moves the history: the page shown is reloaded (the newest page stays the newest).
  const newest = status.failovers[0]?.id ?? null;
  if (newest !== newestFailover) {
    newestFailover = newest;
    void loadHistory(historyOffset);
  }
}

function render(status: SystemStatus): void {
  const now = Date.now();
  $('login').hidden = true;
  $('board').hidden = false;
  $('sign-out').hidden = false;
  const overall = $('overall');
  overall.hidden = false;
  overall.className = 'pill tone-' + (HEALTH_TONES[status.systemHealth] || 'unknown');
  overall.textContent = status.systemHealth;
  $('updated').textContent = 'Updated ' + new Date(status.generatedAt).toLocaleTimeString();
  $('summary').replaceChildren(...summaryCards(status, now));
  $('groups').replaceChildren(...status.groups.map((group) => groupView(group, status.alerts)));
  $('alert-count').textContent = String(status.alerts.length);
  $('alerts').replaceChildren(...alertItems(status.alerts, now));
}

function summaryCards(status: SystemStatus, now: number): HTMLElement[] {
  const card = (label: string, value: string, tone: string, note: string | null) =>
    h('div', { class: 'stat card tone-' + tone }, [h('div', { class: 'stat-label', text: label }), h('div', { class: 'stat-value', text: value }), note ? h('div', { class: 'stat-note', text: note }) : null]);
  const endpoints = status.groups.flatMap((g) => g.endpoints);
  const healthy = endpoints.filter((e) => e.healthy).length;
  const former = endpoints.filter((e) => e.role === 'former-primary').length;
  return [
    card('System', capitalized(status.systemHealth), HEALTH_TONES[status.systemHealth] || 'unknown', healthy + ' of ' + endpoints.length + ' servers healthy'),
    card('Primaries', status.primaryHealthy ? 'All writable' : 'Not writable', status.primaryHealthy ? 'ok' : 'down', status.groups.length + ' replication groups'),
    card('Active alerts', String(status.activeAlerts), status.activeAlerts ? 'warn' : 'ok', null),
    card('Avg round-trip', formatMs(status.avgResponseTime), 'neutral', 'healthy servers, smoothed'),
    card('Replica health', status.replicaHealth === null ? '–' : status.replicaHealth + ' %', status.replicaHealth === 100 ? 'ok' : 'warn', former ? former + ' former primary' + (former > 1 ? 'ies' : '') + ' not counted' : null),
    card('Last failover', capitalized(formatAgo(status.lastFailover, now)), 'neutral', status.lastFailover ? new Date(status.lastFailover).toLocaleString() : null),
  ];
}

function groupView(group: GroupStatus, alerts: readonly AlertStatus[]): HTMLElement {
  const tone = groupTone(group, alerts);
  const primary = group.endpoints.find((e) => e.id === group.primary);
  const replicas = group.endpoints.filter((e) => e !== primary && e.role !== 'former-primary');
  const former = group.endpoints.filter((e) => e !== primary && e.role === 'former-primary');
  const sub = group.kind === 'global' ? 'global database, primary in ' + group.region : 'region ' + group.region + ' · priority ' + group.priority;
  return h('article', { class: 'group card tone-' + tone.tone, 'data-group': group.name, 'data-tone': tone.tone, 'data-primary': group.primary || '' }, [
    h('header', { class: 'group-head' }, [
      h('div', {}, [h('h3', { text: group.name }), h('div', { class: 'muted', text: sub })]),
      h('div', { class: 'badges' }, [
        group.failoverRunning ? h('span', { class: 'badge badge-warn', text: 'failover running' }) : null,
        h('span', { class: 'badge', 'data-epoch': group.epoch, text: 'epoch ' + group.epoch }),
        isAdmin() && switchoverTargets(group).length ? switchoverButton(group) : null,
      ]),
    ]),
    h('div', { class: 'group-line' }, [
      h('span', { class: 'dot' }),
      'primary ',
      h('b', { text: group.primary || 'none' }),
      tone.reasons.length ? h('span', { class: 'muted', text: ' · ' + tone.reasons[0] }) : null,
    ]),
    h('div', { class: 'tree' }, [
      h('div', { class: 'tier' }, primary ? nodeView(primary, group, alerts) : h('div', { class: 'node node-missing', text: 'no primary' })),
      replicas.length ? h('div', { class: 'tier tier-replicas' }, replicas.map((r) => h('div', { class: 'slot' }, nodeView(r, group, alerts)))) : null,
    ]),
    former.length
      ? h('div', { class: 'former' }, [h('div', { class: 'former-title muted', text: 'Former primaries (fenced, serve nothing until rejoined)' }), ...former.map((e) => nodeView(e, group, alerts))])
      : null,
  ]);
}

function nodeView(endpoint: EndpointStatus, group: GroupStatus, alerts: readonly AlertStatus[]): HTMLElement {
  const tone = endpointTone(endpoint, alerts);
  const isPrimary = endpoint.id === group.primary;
  const role = isPrimary ? 'primary' : endpoint.role;
  const stat = (label: string, value: string) => [h('dt', { text: label }), h('dd', { text: value })];
  const pool = endpoint.pool ? endpoint.pool.inUse + ' / ' + endpoint.pool.max + (endpoint.pool.waiting ? ' (+' + endpoint.pool.waiting + ' waiting)' : '') : '–';
  return h(
    'div',
    {
      class: 'node tone-' + tone.tone + (isPrimary ? ' node-primary' : '') + (role === 'former-primary' ? ' node-former' : ''),
      'data-endpoint': endpoint.id,
      'data-role': role,
      'data-tone': tone.tone,
      'data-fenced': endpoint.fenced ? 'true' : 'false',
      title: tone.reasons.join('\n') || 'healthy',
    },
    [
      h('div', { class: 'node-head' }, [h('span', { class: 'dot' }), h('span', { class: 'node-id', text: endpoint.id })]),
      h('div', { class: 'chips' }, [
        h('span', { class: 'chip chip-role' + (isPrimary ? ' chip-primary' : '') + (role === 'former-primary' ? ' chip-former' : ''), text: isPrimary ? 'primary' : roleLabel(endpoint) }),
        endpoint.fenced ? h('span', { class: 'chip chip-fenced', text: 'fenced' }) : null,
        endpoint.replayPaused ? h('span', { class: 'chip chip-warn', text: 'replay paused' }) : null,
        endpoint.region !== group.region ? h('span', { class: 'chip', text: endpoint.region }) : null,
      ]),
      h('dl', { class: 'stats' }, [
        // A server that does not answer has no current round-trip or lag: its last ones would mislead.
        ...stat('RTT', endpoint.healthy ? formatMs(endpoint.latencyMs) : '–'),
        ...(role === 'replica'
          ? stat('Lag', endpoint.healthy ? formatBytes(endpoint.replicationLagBytes) + ' · ' + formatMs(endpoint.replicationLagMs) : '–')
          : stat('Timeline', endpoint.timeline === null ? '–' : String(endpoint.timeline))),
        ...stat('Pool', pool),
      ]),
      h('div', { class: 'node-server muted', text: endpoint.server }),
      tone.tone !== 'ok' ? h('div', { class: 'node-note', text: tone.reasons[0] }) : null,
    ],
  );
}

function alertItems(alerts: readonly AlertStatus[], now: number): HTMLElement[] {
  if (!alerts.length) return [h('li', { class: 'empty', text: 'No active alerts' })];
  return alerts.map((alert) =>
    h('li', { class: 'alert sev-' + alert.severity, 'data-alert': alert.type }, [
      h('span', { class: 'sev', text: alert.severity }),
      h('div', { class: 'alert-body' }, [h('div', { class: 'alert-type', text: alert.type.replace(/_/g, ' ') + ' · ' + (alert.endpointId || alert.group || '') }), h('div', { class: 'alert-message', text: alert.message })]),
      h('span', { class: 'muted alert-age', text: formatAgo(alert.raisedAt, now) }),
    ]),
  );
}

function logEvents(events: ReturnType<typeof incidentEvents>): void {
  if (!events.length) return;
  const log = $('events');
  log.querySelector('.empty')?.remove();
  const at = new Date().toLocaleTimeString();
  for (const event of events) log.prepend(h('li', { class: 'event event-' + event.kind, 'data-event': event.kind, 'data-event-group': event.group }, [h('span', { class: 'muted event-at', text: at }), h('span', { text: event.text })]));
  while (log.children.length > LOG_KEEP) log.lastElementChild?.remove();
}

async function loadHistory(offset: number): Promise<void> {
  try {
    const response = await api('/api/database/failover-history?limit=' + HISTORY_PAGE + '&offset=' + offset);
    if (!response.ok) throw new Error('HTTP ' + response.status);
    const page = (await response.json()) as FailoverHistoryPage;
    historyOffset = page.offset;
    $('failovers').replaceChildren(...failoverRows(page.failovers, Date.now()));
    $('history-page').textContent = pageLabel(page.offset, page.failovers.length, page.total);
    $<HTMLButtonElement>('history-newer').disabled = page.offset === 0;
    $<HTMLButtonElement>('history-older').disabled = page.offset + page.failovers.length >= page.total;
  } catch (error) {
    if (error instanceof Unauthorized) return showLogin(error.message);
    $('history-page').textContent = 'history unavailable (' + (error as Error).message + ')';
  }
}

function failoverRows(failovers: readonly FailoverStatus[], now: number): HTMLElement[] {
  const head = h('thead', {}, h('tr', {}, ['When', 'Group', 'Trigger', 'From → to', 'Outcome', 'Epoch', 'Detection', 'Promotion', 'Total'].map((t) => h('th', { text: t }))));
  if (!failovers.length) return [head, h('tbody', {}, h('tr', {}, h('td', { class: 'empty', colspan: 9, text: 'No failover recorded' })))];
  const rows = failovers.map((f) =>
    h('tr', { 'data-failover': f.id }, [
      h('td', { text: formatAgo(f.finishedAt, now), title: f.finishedAt }),
      h('td', { text: f.group }),
      h('td', { text: f.trigger + (f.planned ? ' (planned)' : '') }),
      h('td', { text: (f.from || '–') + ' → ' + (f.to || '–') }),
      h('td', {}, h('span', { class: 'outcome outcome-' + f.outcome, text: f.outcome, title: f.reason })),
      h('td', { text: f.epoch === null ? '–' : String(f.epoch) }),
      h('td', { text: formatMs(f.durations.detectionMs) }),
      h('td', { text: formatMs(f.durations.promotionMs) }),
      h('td', { text: formatMs(f.durations.totalMs) }),
    ]),
  );
  return [head, h('tbody', {}, rows)];
}

function switchoverButton(group: GroupStatus): HTMLElement {
  const button = h('button', { class: 'small', type: 'button', 'data-action': 'switchover', text: 'Switchover…' });
  button.addEventListener('click', () => openSwitchover(group));
  return button;
}

/** An admin action behind the confirmation dialog: what it does, an optional choice, and the call it makes. */
interface AdminAction {
  title: string;
  text: string;
  confirm: string;
  /** The select's options (value, label); none: the select is hidden. */
  choices: [string, string][];
  /** Makes the call with the chosen value; resolves to what to log, rejects with what to show in the dialog. */
  run: (choice: string) => Promise<string>;
}

/** Nothing happens until the admin confirms; a refusal stays in the dialog, a success goes to the incident log. */
function confirmAction(action: AdminAction): void {
  const dialog = $<HTMLDialogElement>('confirm');
  $('confirm-title').textContent = action.title;
  $('confirm-text').textContent = action.text;
  const select = $<HTMLSelectElement>('confirm-target');
  select.replaceChildren(...action.choices.map(([value, label]) => h('option', { value, text: label })));
  $('confirm-choice').hidden = action.choices.length === 0;
  $('confirm-error').hidden = true;
  const go = $<HTMLButtonElement>('confirm-go');
  go.textContent = action.confirm;
  go.disabled = false;
  go.onclick = async () => {
    go.disabled = true;
    try {
      const done = await action.run(select.value);
      dialog.close();
      notice(done);
    } catch (error) {
      if (error instanceof Unauthorized) return showLogin(error.message);
      $('confirm-error').textContent = (error as Error).message;
      $('confirm-error').hidden = false;
      go.disabled = false;
    }
  };
  dialog.showModal();
}

/** A planned switchover: which replica (or the failover's own pick), and what it does to writes. */
function openSwitchover(group: GroupStatus): void {
  confirmAction({
    title: 'Switch over ' + group.name + '?',
    text: 'The primary ' + (group.primary || '(none)') + ' is fenced and the chosen replica promoted once it has replayed everything: no acknowledged write is lost, writes to ' + group.name + ' pause for a moment.',
    confirm: 'Switch over ' + group.name,
    choices: [['', 'the most caught-up replica'], ...switchoverTargets(group).map((id): [string, string] => [id, id])],
    run: async (target) => {
      const response = await api('/api/database/failover/' + encodeURIComponent(group.name), { method: 'POST', body: JSON.stringify(target ? { targetEndpoint: target } : {}) });
      const body = (await response.json()) as { success?: boolean; message?: string };
      if (!response.ok || !body.success) throw new Error(body.message || 'HTTP ' + response.status);
      return body.message || 'Switchover of ' + group.name + ' done';
    },
  });
}

function notice(text: string): void {
  const log = $('events');
  log.querySelector('.empty')?.remove();
  log.prepend(h('li', { class: 'event event-action', 'data-event': 'action' }, [h('span', { class: 'muted event-at', text: new Date().toLocaleTimeString() }), h('span', { text: text })]));
}

$('login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const value = $<HTMLInputElement>('token').value.trim().replace(/^Bearer\s+/i, '');
  if (!value) return;
  sessionStorage.setItem(TOKEN_KEY, value);
  $('login-error').hidden = true;
  void follow();
});
$('sign-out').addEventListener('click', () => showLogin());
$('history-newer').addEventListener('click', () => void loadHistory(Math.max(0, historyOffset - HISTORY_PAGE)));
$('history-older').addEventListener('click', () => void loadHistory(historyOffset + HISTORY_PAGE));
$('confirm-cancel').addEventListener('click', () => $<HTMLDialogElement>('confirm').close());
void follow();
