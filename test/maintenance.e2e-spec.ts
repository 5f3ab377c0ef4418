// Maintenance mode on a small topology of its own, with two app instances sharing Redis: a paused group's
// killed primary is not failed over by either instance; resumed (from the other instance, with the CLI), it
// is. On the way, the alert lifecycle: a failed manual failover raises failover_failed, resolved once the
// primary (which never stopped taking writes) is seen healthy and writable after it, and the webhook gets both in
// Alertmanager's format. The CLI's switchover ends it.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { INestApplication } from '@nestjs/common';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { Topology } from '../libs/regional-db/src/config/topology.types';
import { DatabaseHealthMonitorService } from '../libs/regional-db/src/health/database-health-monitor.service';
import { MaintenanceService } from '../libs/regional-db/src/maintenance/maintenance.service';
import { TopologyStateService } from '../libs/regional-db/src/topology-state/topology-state.service';
import * as local from '../tools/topology/local-topology';
import { bearer, createTestApp, eventually } from './support/app';
import { runCli } from './support/cli';
import { failoverTopologyOptions, freshFailoverTopology, queryServer } from './support/failover-topology';
import { parseExposition, value } from './support/prometheus-exposition';
import { closeApp, suitePrefix } from './support/suite';

const PRIMARY = 'us-east-primary';
const REPLICAS = ['us-east-replica-1', 'us-east-replica-2'];

interface AlertmanagerPayload {
  status: string;
  alerts: { status: string; labels: Record<string, string>; annotations: Record<string, string>; endsAt: string }[];
}

describe('maintenance mode: a paused group is not failed over, a resumed one is (two instances, one Redis)', () => {
  const options = failoverTopologyOptions([], { name: 'maintenance-topology', portOffset: 900 });
  const prefix = suitePrefix('maintenance');
  const saved = { prefix: process.env.REDIS_PREFIX, url: process.env.ALERT_WEBHOOK_URL, format: process.env.ALERT_WEBHOOK_FORMAT };
  const posted: AlertmanagerPayload[] = [];
  let webhook: Server;
  let topology: Topology;
  let a: INestApplication;
  let b: INestApplication;

  const url = (id: string) => [topology.groups[0].primary, ...topology.groups[0].replicas].find((e) => e.id === id)!.url;
  const inRecovery = async (id: string) => (await queryServer<{ r: boolean }>(url(id), 'SELECT pg_is_in_recovery() AS r'))[0].r;
  const http = (app: INestApplication) => request(app.getHttpServer());
  const activeAlerts = async (app: INestApplication) =>
    (await http(app).get('/api/database/alerts?limit=100').set('Authorization', bearer(app, 'viewer')).expect(200)).body as {
      active: { key: string }[];
      history: { action: string; alert: { key: string; resolution?: string } }[];
    };
  const webhookOf = (status: string) => posted.find((p) => p.status === status && p.alerts[0].labels.alertname === 'failover_failed');

  beforeAll(async () => {
    webhook = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c)).on('end', () => {
        posted.push(JSON.parse(body) as AlertmanagerPayload);
        res.end();
      });
    });
    await new Promise<void>((r) => webhook.listen(0, '127.0.0.1', r));
    Object.assign(process.env, { REDIS_PREFIX: prefix, ALERT_WEBHOOK_URL: `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/hook`, ALERT_WEBHOOK_FORMAT: 'alertmanager' });
    topology = await freshFailoverTopology(options);
    a = await createTestApp({ topology });
    b = await createTestApp({ topology });
  }, 120_000);
  afterAll(async () => {
    await b?.close();
    await closeApp(a, prefix);
    await new Promise((r) => webhook?.close(r));
    for (const [name, value] of [['REDIS_PREFIX', saved.prefix], ['ALERT_WEBHOOK_URL', saved.url], ['ALERT_WEBHOOK_FORMAT', saved.format]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await local.down(options);
  });

  it('a manual failover that cannot run raises failover_failed, resolved as the group still takes writes; both posted in Alertmanager format', async () => {
    await local.stopServer(options, REPLICAS[1]);
    const answer = await http(a).post('/api/database/failover/us-east').set('Authorization', bearer(a)).send({ targetEndpoint: REPLICAS[1] }).expect(200);
    expect(answer.body).toMatchObject({ success: false, failover: { outcome: 'failed' } });
    expect((await activeAlerts(b)).history.some((e) => e.action === 'raised' && e.alert.key === 'failover_failed:us-east')).toBe(true);
    const firing = await eventually(async () => webhookOf('firing'), 10_000);
    expect(firing.alerts[0]).toMatchObject({ status: 'firing', labels: { alertname: 'failover_failed', severity: 'critical', group: 'us-east' }, endsAt: '0001-01-01T00:00:00Z' });

    await local.startServer(options, REPLICAS[1]);
    for (const app of [a, b]) {
      const monitor = app.get(DatabaseHealthMonitorService);
      await eventually(async () => (await monitor.runRound(), monitor.health(REPLICAS[1]).isHealthy), 30_000, 300);
    }
    // The primary never stopped taking writes: seen healthy and writable after the failure, the alert ends.
    const alerts = await eventually(async () => {
      const report = await activeAlerts(a);
      return !report.active.some((x) => x.key === 'failover_failed:us-east') && report;
    }, 40_000, 300);
    const resolution = 'us-east takes writes again: its primary us-east-primary is healthy and writable';
    expect(alerts.history.find((e) => e.action === 'resolved' && e.alert.key === 'failover_failed:us-east')?.alert.resolution).toBe(resolution);
    const resolved = await eventually(async () => webhookOf('resolved'), 10_000);
    expect(resolved.alerts[0]).toMatchObject({ status: 'resolved', labels: { alertname: 'failover_failed', group: 'us-east' }, annotations: { resolution } });
    expect(resolved.alerts[0].endsAt).not.toBe('0001-01-01T00:00:00Z');
  }, 90_000);

  it('paused from one instance: shown by both, audited, in metrics; a killed primary is left alone by both', async () => {
    const paused = await http(a).post('/api/database/maintenance/pause').set('Authorization', bearer(a)).send({ group: 'us-east', reason: 'kernel upgrade' }).expect(200);
    expect(paused.body.paused).toMatchObject({ scope: 'us-east', by: 'e2e-admin', reason: 'kernel upgrade' });
    const shown = await http(b).get('/api/database/maintenance').set('Authorization', bearer(b, 'viewer')).expect(200);
    expect(shown.body.groups).toEqual(expect.arrayContaining([
      { group: 'us-east', paused: true, pause: expect.objectContaining({ scope: 'us-east', by: 'e2e-admin' }) },
      { group: 'global', paused: false, pause: null },
    ]));
    const status = await http(b).get('/api/database/status').set('Authorization', bearer(b, 'viewer')).expect(200);
    expect(status.body.groups.find((g: { name: string }) => g.name === 'us-east').failoverPaused).toMatchObject({ scope: 'us-east', reason: 'kernel upgrade' });
    const metrics = parseExposition((await http(b).get('/metrics').expect(200)).text);
    expect(value(metrics, 'db_failover_paused', { group: 'us-east' })).toBe(1);
    expect(value(metrics, 'db_failover_paused', { group: 'global' })).toBe(0);
    const audit = await eventually(async () => {
      const entries = (await http(b).get('/api/database/audit?limit=50').set('Authorization', bearer(b, 'viewer'))).body.entries as { action: string; actor: string; result: string }[];
      return entries.find((e) => e.action === 'maintenance-pause');
    }, 10_000);
    expect(audit).toMatchObject({ actor: 'e2e-admin', result: 'success' });

    // Each instance's automatic failover decisions about us-east, withheld by the pause: the first one, at the
    // moment the primary is confirmed down, is where an unpaused group is failed over; then one per check.
    const withheld = new Map<INestApplication, number>();
    const spies = [a, b].map((app) => {
      const maintenance = app.get(MaintenanceService);
      const pauseOf = maintenance.pauseOf.bind(maintenance);
      return jest.spyOn(maintenance, 'pauseOf').mockImplementation(async (group: string) => {
        const pause = await pauseOf(group);
        if (pause && group === 'us-east') withheld.set(app, (withheld.get(app) ?? 0) + 1);
        return pause;
      });
    });
    try {
      await local.killServer(options, PRIMARY);
      await eventually(async () => [a, b].every((app) => (withheld.get(app) ?? 0) >= 5), 90_000, 200);
    } finally {
      spies.forEach((spy) => spy.mockRestore());
    }
    for (const app of [a, b]) {
      expect(app.get(TopologyStateService).state('us-east')).toMatchObject({ primaryId: PRIMARY, epoch: 1 });
    }
    for (const replica of REPLICAS) expect(await inRecovery(replica)).toBe(true);
    const history = await http(a).get('/api/database/failover-history?limit=10').set('Authorization', bearer(a, 'viewer')).expect(200);
    expect(history.body.failovers.filter((f: { trigger: string }) => f.trigger === 'automatic')).toEqual([]);
  }, 150_000);

  it('resumed from the other instance with the CLI: the primary still down is failed over', async () => {
    const resumed = await runCli(['resume', 'us-east'], { REGIONAL_DB_URL: await b.getUrl(), REGIONAL_DB_TOKEN: bearer(b).slice('Bearer '.length) });
    expect(resumed).toEqual({ code: 0, stdout: 'automatic failover resumed for us-east\n', stderr: '' });
    const promoted = await eventually(async () => {
      const id = a.get(TopologyStateService).primaryOf('us-east');
      return id !== PRIMARY && b.get(TopologyStateService).primaryOf('us-east') === id && id;
    }, 60_000, 200);
    expect(REPLICAS).toContain(promoted);
    expect(await inRecovery(promoted as string)).toBe(false);
    // Routing switches (and is published) before the failover's last steps; its record is written after them.
    const latest = await eventually(async () => {
      const history = await http(b).get('/api/database/failover-history?limit=10').set('Authorization', bearer(b, 'viewer')).expect(200);
      const [newest] = history.body.failovers as { trigger: string }[];
      return newest?.trigger === 'automatic' && newest;
    }, 30_000, 200);
    expect(latest).toMatchObject({ trigger: 'automatic', from: PRIMARY, to: promoted, outcome: 'completed' });

    expect((await activeAlerts(a)).history.some((e) => e.action === 'raised' && e.alert.key === 'failover_completed:us-east')).toBe(true);
    expect(value(parseExposition((await http(a).get('/metrics')).text), 'db_failover_paused', { group: 'us-east' })).toBe(0);
  }, 120_000);

  it('the CLI switches over to the other replica: planned, exit code 0', async () => {
    const current = a.get(TopologyStateService).primaryOf('us-east')!;
    const target = REPLICAS.find((id) => id !== current)!;
    for (const app of [a, b]) {
      const monitor = app.get(DatabaseHealthMonitorService);
      await eventually(async () => (await monitor.runRound(), monitor.health(current).isHealthy && monitor.health(target).isHealthy), 30_000, 300);
    }
    const env = { REGIONAL_DB_URL: await a.getUrl(), REGIONAL_DB_TOKEN: bearer(a).slice('Bearer '.length) };
    const switched = await runCli(['switchover', 'us-east', '--to', target], env);
    expect(switched).toEqual({ code: 0, stdout: expect.stringMatching(new RegExp(`^Failover of us-east completed: ${target} is primary \\(epoch \\d+\\)\\n$`)), stderr: '' });
    const history = JSON.parse((await runCli(['history', '--limit', '1', '--json'], env)).stdout) as { failovers: { planned: boolean; to: string }[] };
    expect(history.failovers[0]).toMatchObject({ planned: true, to: target });
    const status = await runCli(['status'], env);
    expect(status.stdout).toMatch(new RegExp(`^us-east +${target} +primary `, 'm'));
    expect(status.stdout).toMatch(new RegExp(`^us-east +${PRIMARY} +former primary +.* fenced +NO$`, 'm'));
  }, 120_000);
});
