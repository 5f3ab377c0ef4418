/**
 * The dashboard's page script (runs after DASHBOARD_LOGIC): sign-in with a bearer token kept in
 * sessionStorage, `GET /api/database/status` every POLL_MS, and the topology drawn with DOM nodes (text
 * only, never HTML from the server). Elements carry data-group / data-endpoint / data-role / data-tone for
 * the end-to-end test.
 */
export const DASHBOARD_APP = String.raw`
const TOKEN_KEY = 'db-dashboard.token';
const POLL_MS = 1500;
const HEALTH_TONES = { healthy: 'ok', degraded: 'warn', critical: 'down' };
const capitalized = (text) => text.charAt(0).toUpperCase() + text.slice(1);
let pollTimer = null;

const $ = (id) => document.getElementById(id);

function h(tag, attrs, children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = String(value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of [].concat(children === undefined ? [] : children)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

function showLogin(message) {
  clearTimeout(pollTimer);
  $('board').hidden = true;
  $('overall').hidden = true;
  $('sign-out').hidden = true;
  $('banner').hidden = true;
  $('updated').textContent = '';
  $('login').hidden = false;
  $('login-error').hidden = !message;
  $('login-error').textContent = message || '';
  $('token').value = '';
  $('token').focus();
}

function showBanner(text) {
  $('banner').textContent = text;
  $('banner').hidden = false;
}

async function poll() {
  clearTimeout(pollTimer);
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) return showLogin();
  try {
    const response = await fetch('/api/database/status', { headers: { Authorization: 'Bearer ' + token, Accept: 'application/json' }, cache: 'no-store' });
    if (response.status === 401 || response.status === 403) {
      const body = await response.json().catch(() => ({}));
      sessionStorage.removeItem(TOKEN_KEY);
      const why = response.status === 403 ? 'this token has neither the viewer nor the admin role' : body.message || 'the token was refused';
      return showLogin('Signed out: ' + why + '.');
    }
    if (!response.ok) throw new Error('HTTP ' + response.status);
    const status = await response.json();
    render(status);
    const notice = coordinationNotice(status);
    if (notice) showBanner(notice);
    else $('banner').hidden = true;
  } catch (error) {
    showBanner('Cannot reach the service (' + error.message + '). Showing the last known state; retrying.');
  }
  pollTimer = setTimeout(poll, POLL_MS);
}

function render(status) {
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
  $('failovers').replaceChildren(...failoverRows(status.failovers, now));
}

function summaryCards(status, now) {
  const card = (label, value, tone, note) =>
    h('div', { class: 'stat card tone-' + tone }, [h('div', { class: 'stat-label', text: label }), h('div', { class: 'stat-value', text: value }), note ? h('div', { class: 'stat-note', text: note }) : null]);
  const endpoints = status.groups.flatMap((g) => g.endpoints);
  const healthy = endpoints.filter((e) => e.healthy).length;
  return [
    card('System', capitalized(status.systemHealth), HEALTH_TONES[status.systemHealth] || 'unknown', healthy + ' of ' + endpoints.length + ' servers healthy'),
    card('Primaries', status.primaryHealthy ? 'All writable' : 'Not writable', status.primaryHealthy ? 'ok' : 'down', status.groups.length + ' replication groups'),
    card('Active alerts', String(status.activeAlerts), status.activeAlerts ? 'warn' : 'ok', null),
    card('Avg round-trip', formatMs(status.avgResponseTime), 'neutral', 'healthy servers, smoothed'),
    card('Replica health', status.replicaHealth === null ? '–' : status.replicaHealth + ' %', status.replicaHealth === 100 ? 'ok' : 'warn', null),
    card('Last failover', capitalized(formatAgo(status.lastFailover, now)), 'neutral', status.lastFailover ? new Date(status.lastFailover).toLocaleString() : null),
  ];
}

function groupView(group, alerts) {
  const tone = groupTone(group, alerts);
  const primary = group.endpoints.find((e) => e.id === group.primary);
  const replicas = group.endpoints.filter((e) => e !== primary);
  const sub = group.kind === 'global' ? 'global database, primary in ' + group.region : 'region ' + group.region + ' · priority ' + group.priority;
  return h('article', { class: 'group card tone-' + tone.tone, 'data-group': group.name, 'data-tone': tone.tone, 'data-primary': group.primary || '' }, [
    h('header', { class: 'group-head' }, [
      h('div', {}, [h('h3', { text: group.name }), h('div', { class: 'muted', text: sub })]),
      h('div', { class: 'badges' }, [
        group.failoverRunning ? h('span', { class: 'badge badge-warn', text: 'failover running' }) : null,
        h('span', { class: 'badge', 'data-epoch': group.epoch, text: 'epoch ' + group.epoch }),
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
  ]);
}

function nodeView(endpoint, group, alerts) {
  const tone = endpointTone(endpoint, alerts);
  const isPrimary = endpoint.id === group.primary;
  const stat = (label, value) => [h('dt', { text: label }), h('dd', { text: value })];
  const pool = endpoint.pool ? endpoint.pool.inUse + ' / ' + endpoint.pool.max + (endpoint.pool.waiting ? ' (+' + endpoint.pool.waiting + ' waiting)' : '') : '–';
  return h(
    'div',
    {
      class: 'node tone-' + tone.tone + (isPrimary ? ' node-primary' : ''),
      'data-endpoint': endpoint.id,
      'data-role': isPrimary ? 'primary' : 'replica',
      'data-tone': tone.tone,
      'data-fenced': endpoint.fenced ? 'true' : 'false',
      title: tone.reasons.join('\n') || 'healthy',
    },
    [
      h('div', { class: 'node-head' }, [h('span', { class: 'dot' }), h('span', { class: 'node-id', text: endpoint.id })]),
      h('div', { class: 'chips' }, [
        h('span', { class: 'chip chip-role' + (isPrimary ? ' chip-primary' : ''), text: isPrimary ? 'primary' : 'replica' }),
        endpoint.fenced ? h('span', { class: 'chip chip-fenced', text: 'fenced' }) : null,
        endpoint.replayPaused ? h('span', { class: 'chip chip-warn', text: 'replay paused' }) : null,
        endpoint.region !== group.region ? h('span', { class: 'chip', text: endpoint.region }) : null,
      ]),
      h('dl', { class: 'stats' }, [
        // A server that does not answer has no current round-trip or lag: its last ones would mislead.
        ...stat('RTT', endpoint.healthy ? formatMs(endpoint.latencyMs) : '–'),
        ...(isPrimary
          ? stat('Timeline', endpoint.timeline === null ? '–' : String(endpoint.timeline))
          : stat('Lag', endpoint.healthy ? formatBytes(endpoint.replicationLagBytes) + ' · ' + formatMs(endpoint.replicationLagMs) : '–')),
        ...stat('Pool', pool),
      ]),
      h('div', { class: 'node-server muted', text: endpoint.server }),
      tone.tone !== 'ok' ? h('div', { class: 'node-note', text: tone.reasons[0] }) : null,
    ],
  );
}

function alertItems(alerts, now) {
  if (!alerts.length) return [h('li', { class: 'empty', text: 'No active alerts' })];
  return alerts.map((alert) =>
    h('li', { class: 'alert sev-' + alert.severity, 'data-alert': alert.type }, [
      h('span', { class: 'sev', text: alert.severity }),
      h('div', { class: 'alert-body' }, [h('div', { class: 'alert-type', text: alert.type.replace(/_/g, ' ') + ' · ' + (alert.endpointId || alert.group || '') }), h('div', { class: 'alert-message', text: alert.message })]),
      h('span', { class: 'muted alert-age', text: formatAgo(alert.raisedAt, now) }),
    ]),
  );
}

function failoverRows(failovers, now) {
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

$('login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const token = $('token').value.trim().replace(/^Bearer\s+/i, '');
  if (!token) return;
  sessionStorage.setItem(TOKEN_KEY, token);
  $('login-error').hidden = true;
  poll();
});
$('sign-out').addEventListener('click', () => {
  sessionStorage.removeItem(TOKEN_KEY);
  showLogin();
});
poll();
`;
