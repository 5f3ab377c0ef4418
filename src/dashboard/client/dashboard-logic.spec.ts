import { describe, expect, it } from '@jest/globals';
import * as logic from './dashboard-logic';
import type { EndpointStatus, GroupStatus, SystemStatus } from './status';

const endpoint = (over: Partial<EndpointStatus> = {}): EndpointStatus => ({
  id: 'us-east-replica-1',
  server: '127.0.0.1:26001/app',
  region: 'us-east',
  role: 'replica',
  reportedRole: 'replica',
  healthy: true,
  fenced: false,
  replayPaused: false,
  lastCheckAt: '2026-01-01T00:00:00Z',
  lastError: null,
  latencyMs: 1,
  replicationLagBytes: 0,
  replicationLagMs: 0,
  timeline: 1,
  pool: null,
  ...over,
});

const primary = (over: Partial<EndpointStatus> = {}) => endpoint({ id: 'us-east-primary', role: 'primary', reportedRole: 'primary', ...over });
const GROUP: GroupStatus = { name: 'us-east', kind: 'region', region: 'us-east', priority: 10, primary: 'us-east-primary', epoch: 1, failoverRunning: false, endpoints: [] };
const alert = (over: object = {}) => ({ id: 'a1', type: 'replication_lag', severity: 'medium', endpointId: 'us-east-replica-1', message: 'lagging', raisedAt: '2026-01-01T00:00:00Z', ...over });
const status = (groups: GroupStatus[]): SystemStatus => ({
  generatedAt: '2026-01-01T00:00:00Z', coordination: 'available', systemHealth: 'healthy', primaryHealthy: true, activeAlerts: 0, avgResponseTime: 1,
  replicaHealth: 100, lastFailover: null, groups, alerts: [], failovers: [],
});

describe('endpointTone', () => {
  it('is green for a healthy replica, red with the error when down, grey before the first probe', () => {
    expect(logic.endpointTone(endpoint(), [])).toEqual({ tone: 'ok', reasons: [] });
    expect(logic.endpointTone(endpoint({ healthy: false, lastError: 'connection refused' }), [])).toEqual({ tone: 'down', reasons: ['connection refused'] });
    expect(logic.endpointTone(endpoint({ lastCheckAt: null, healthy: false }), []).tone).toBe('unknown');
  });

  it('is amber when fenced, paused, in the wrong role or under a lag, slowness or error-rate alert of its own', () => {
    expect(logic.endpointTone(endpoint({ fenced: true }), [])).toEqual({ tone: 'warn', reasons: ['fenced: former primary'] });
    expect(logic.endpointTone(endpoint({ replayPaused: true }), []).reasons).toEqual(['replay paused']);
    expect(logic.endpointTone(endpoint({ reportedRole: 'primary' }), []).reasons).toEqual(['server reports primary']);
    const lag = alert();
    expect(logic.endpointTone(endpoint(), [lag])).toEqual({ tone: 'warn', reasons: ['replication lag (medium)'] });
    expect(logic.endpointTone(endpoint(), [{ ...lag, endpointId: 'us-east-replica-2' }]).tone).toBe('ok');
    expect(logic.endpointTone(endpoint(), [{ ...lag, type: 'failover_triggered' }]).tone).toBe('ok');
  });
});

describe('groupTone', () => {
  const group = (endpoints: EndpointStatus[], over: Partial<GroupStatus> = {}): GroupStatus => ({ ...GROUP, endpoints, ...over });

  it('is red when its primary is down or it has none', () => {
    expect(logic.groupTone(group([primary({ healthy: false }), endpoint()]), [])).toEqual({ tone: 'down', reasons: ['primary us-east-primary is down'] });
    expect(logic.groupTone(group([endpoint()], { primary: null }), []).tone).toBe('down');
  });

  it('is amber while a failover runs or any server is degraded, green otherwise', () => {
    expect(logic.groupTone(group([primary(), endpoint()], { failoverRunning: true }), []).reasons).toEqual(['failover running']);
    expect(logic.groupTone(group([primary(), endpoint({ healthy: false })]), [])).toEqual({ tone: 'warn', reasons: ['1 of 2 servers degraded'] });
    expect(logic.groupTone(group([primary(), endpoint()]), []).tone).toBe('ok');
  });
});

describe('formatting', () => {
  it('bytes, durations and ages read naturally', () => {
    expect([logic.formatBytes(null), logic.formatBytes(0), logic.formatBytes(1536), logic.formatBytes(27 * 1024 * 1024)]).toEqual(['–', '0 B', '1.5 KB', '27 MB']);
    expect([logic.formatMs(null), logic.formatMs(0), logic.formatMs(0.42), logic.formatMs(12.34), logic.formatMs(450), logic.formatMs(12_300)]).toEqual(['–', '0 ms', '0.42 ms', '12.3 ms', '450 ms', '12.3 s']);
    const now = Date.parse('2026-01-01T01:00:00Z');
    expect([logic.formatAgo(null, now), logic.formatAgo('2026-01-01T00:59:30Z', now), logic.formatAgo('2026-01-01T00:30:00Z', now)]).toEqual(['never', '30 s ago', '30 min ago']);
  });
});

describe('former primaries', () => {
  const former = endpoint({ id: 'us-east-primary', role: 'former-primary', reportedRole: 'primary', fenced: true });

  it('are labelled as such, never as a replica, and are no switchover target', () => {
    expect(logic.roleLabel(former)).toBe('former primary');
    expect(logic.roleLabel(endpoint())).toBe('replica');
    // A fenced former primary still reports itself writable: that is not a role mismatch worth a reason.
    expect(logic.endpointTone(former, []).reasons).toEqual(['fenced: former primary']);
    const group = { ...GROUP, primary: 'us-east-replica-1', endpoints: [former, endpoint({ role: 'primary' }), endpoint({ id: 'us-east-replica-2' }), endpoint({ id: 'us-east-replica-3', healthy: false })] };
    expect(logic.switchoverTargets(group)).toEqual(['us-east-replica-2']);
  });
});

describe('incidentEvents', () => {
  const healthy = { ...GROUP, endpoints: [primary(), endpoint()] };

  it('logs the primary going down, the failover and the new primary, in reading order', () => {
    const down = { ...healthy, endpoints: [primary({ healthy: false, lastError: 'connection refused' }), endpoint()] };
    expect(logic.incidentEvents(status([healthy]), status([down])).map((e) => [e.kind, e.text])).toEqual([
      ['endpoint-down', 'us-east-primary is down: connection refused'],
      ['group-down', 'us-east: no writable primary (primary us-east-primary is down)'],
    ]);
    const running = { ...down, failoverRunning: true };
    expect(logic.incidentEvents(status([down]), status([running])).map((e) => e.kind)).toEqual(['failover-started']);
    const promoted = { ...GROUP, primary: 'us-east-replica-1', epoch: 2, endpoints: [primary({ role: 'former-primary', healthy: false, fenced: true }), endpoint({ role: 'primary', reportedRole: 'primary' })] };
    expect(logic.incidentEvents(status([running]), status([promoted])).map((e) => [e.kind, e.text])).toEqual([
      ['primary-changed', 'us-east: primary us-east-primary → us-east-replica-1 (epoch 2)'],
      ['group-up', 'us-east: writable again'],
    ]);
  });

  it('says nothing on the first picture, when nothing changed, or before a server was first probed', () => {
    expect(logic.incidentEvents(null, status([healthy]))).toEqual([]);
    expect(logic.incidentEvents(status([healthy]), status([healthy]))).toEqual([]);
    const unprobed = { ...healthy, endpoints: [primary(), endpoint({ lastCheckAt: null, healthy: false })] };
    expect(logic.incidentEvents(status([unprobed]), status([healthy]))).toEqual([]);
  });
});

describe('tokenRoles', () => {
  const jwt = (claims: object) => ['e30', Buffer.from(JSON.stringify(claims)).toString('base64url'), 'sig'].join('.');

  it("reads the roles claim (the server checks the signature), and nothing from a malformed token", () => {
    expect(logic.tokenRoles(jwt({ sub: 'ops', roles: ['admin'] }))).toEqual(['admin']);
    expect(logic.tokenRoles(jwt({ sub: 'ops', roles: 'admin' }))).toEqual([]);
    expect(logic.tokenRoles('not-a-token')).toEqual([]);
  });
});

describe('paging and the event stream', () => {
  it('labels a page of the history', () => {
    expect([logic.pageLabel(0, 10, 23), logic.pageLabel(20, 3, 23), logic.pageLabel(0, 0, 0)]).toEqual(['1–10 of 23', '21–23 of 23', 'none']);
  });

  it('takes whole server-sent events and keeps the incomplete rest for the next chunk', () => {
    expect(logic.takeServerSentEvents('event: status\ndata: {"a":1}\n\nid: 2\ndata: {"a"')).toEqual({ data: ['{"a":1}'], rest: 'id: 2\ndata: {"a"' });
    expect(logic.takeServerSentEvents('data: {"a"' + ':2}\r\n\r\n')).toEqual({ data: ['{"a":2}'], rest: '' });
  });
});

describe('coordinationNotice', () => {
  it('says coordination is unavailable (not that the service is down) only while it is', () => {
    expect(logic.coordinationNotice({ coordination: 'unavailable' })).toMatch(/^Coordination unavailable: Redis cannot be reached\./);
    expect(logic.coordinationNotice({ coordination: 'unavailable' })).not.toMatch(/Cannot reach the service/);
    expect(logic.coordinationNotice({ coordination: 'available' })).toBeNull();
    expect(logic.coordinationNotice({ coordination: 'disabled' })).toBeNull();
  });
});
