import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { AlertService } from '../libs/regional-db/src/alerts/alert.service';
import type { Topology } from '../libs/regional-db/src/config/topology.types';
import { TokenService } from '../src/auth/token.service';
import { DatabaseHealthMonitorService } from '../libs/regional-db/src/health/database-health-monitor.service';
import { HealthAlertsService } from '../libs/regional-db/src/health/health-alerts.service';
import { ConnectionRouterService } from '../libs/regional-db/src/router/connection-router.service';
import { TopologyStateService } from '../libs/regional-db/src/topology-state/topology-state.service';
import * as local from '../tools/topology/local-topology';
import { createTestApp, eventually } from './support/app';
import { failoverTopologyOptions, freshFailoverTopology, queryServer, WriteLoad } from './support/failover-topology';
import { closeApp, suitePrefix } from './support/suite';

const PRIMARY = 'us-east-primary';
const REPLICAS = ['us-east-replica-1', 'us-east-replica-2'];
// Redis keys of this run only: state and history must not leak in from an earlier run.
const base = suitePrefix('failover');
let prefixes = 0;

async function startApp(topology: Topology, prefix: string): Promise<INestApplication> {
  process.env.REDIS_PREFIX = prefix;
  return createTestApp({ topology });
}

const url = (topology: Topology, id: string) => [topology.groups[0].primary, ...topology.groups[0].replicas].find((e) => e.id === id)!.url;
const serverPort = async (app: INestApplication) =>
  Number((await app.get(ConnectionRouterService).write('us-east').$queryRaw<{ port: number }[]>`SELECT inet_server_port() AS port`)[0].port);
const portOf = (topology: Topology, id: string) => Number(new URL(url(topology, id)).port);
const adminToken = (app: INestApplication) => app.get(TokenService).sign({ sub: 'failover-test', roles: ['admin'] });

describe('automatic and manual failover on a real small topology', () => {
  const options = failoverTopologyOptions();
  const apps: INestApplication[] = [];
  let topology: Topology;

  beforeEach(async () => {
    topology = await freshFailoverTopology(options);
  });
  afterEach(async () => {
    // One after another, each deleting the suite's keys: the last leaves none behind.
    for (const app of apps.splice(0)) await closeApp(app, base);
    await local.thawServer(options, PRIMARY).catch(() => undefined);
  });
  afterAll(() => local.down(options));

  it('kill -9 of the primary under writes: a replica is promoted, writes resume, the other replica follows', async () => {
    const app = await startApp(topology, `${base}kill-${prefixes++}:`);
    apps.push(app);
    const load = new WriteLoad(app);
    await eventually(async () => load.acknowledged.length > 20);
    await local.killServer(options, PRIMARY);
    const state = app.get(TopologyStateService);
    const promoted = await eventually(async () => {
      const id = state.primaryOf('us-east');
      return id !== PRIMARY && id;
    }, 20_000);
    expect(REPLICAS).toContain(promoted);
    const acked = load.acknowledged.length;
    await eventually(async () => load.ackedSince(acked + 10), 10_000);
    await load.stop();

    // Routing: writes land on the promoted server; the old primary is fenced in this epoch.
    expect(await serverPort(app)).toBe(portOf(topology, promoted));
    expect(state.isFenced('us-east', PRIMARY)).toBe(true);
    expect(state.state('us-east').epoch).toBeGreaterThan(1);
    // The dead primary is reported as a fenced former primary awaiting rejoin, not as a critical endpoint_down.
    const alerts = app.get(AlertService);
    await eventually(async () => {
      await app.get(HealthAlertsService).evaluate();
      const keys = (await alerts.active()).map((a) => a.key);
      return keys.includes(`endpoint_fenced:${PRIMARY}`) && !keys.includes(`endpoint_down:${PRIMARY}`);
    }, 10_000);

    // The other replica follows the new primary on its new timeline and replicates new writes.
    const follower = REPLICAS.find((id) => id !== promoted)!;
    const marker = `after-failover-${Date.now()}`;
    await app.get(ConnectionRouterService).write('us-east').user.create({ data: { username: marker, email: 'm@x', passwordHash: 'x' } });
    await eventually(async () => (await queryServer(url(topology, follower), 'SELECT 1 FROM users WHERE username = $1', [marker])).length === 1, 15_000);
    const [receiver] = await queryServer<{ sender_port: number }>(url(topology, follower), 'SELECT sender_port FROM pg_stat_wal_receiver');
    expect(receiver.sender_port).toBe(portOf(topology, promoted));

    // Readiness and history say so.
    const http = request(app.getHttpServer());
    await eventually(async () => (await http.get('/health/ready')).status === 200, 10_000);
    const history = await http.get('/api/database/failover-history?limit=5').set('Authorization', `Bearer ${adminToken(app)}`);
    expect(history.status).toBe(200);
    expect(history.body.failovers[0]).toMatchObject({ group: 'us-east', trigger: 'automatic', actor: 'system', from: PRIMARY, to: promoted, outcome: 'completed' });
    expect(history.body.failovers[0].durations.promotionMs).toBeGreaterThan(0);
  });

  it('with synchronous replication, every write acknowledged before the kill survives the failover', async () => {
    const syncOptions = failoverTopologyOptions(['us-east']);
    topology = await freshFailoverTopology(syncOptions);
    const app = await startApp(topology, `${base}sync-${prefixes++}:`);
    apps.push(app);
    const load = new WriteLoad(app);
    await eventually(async () => load.acknowledged.length > 50);
    await local.killServer(syncOptions, PRIMARY);
    const state = app.get(TopologyStateService);
    const promoted = await eventually(async () => state.primaryOf('us-east') !== PRIMARY && state.primaryOf('us-east'), 20_000);
    const acked = load.acknowledged.length;
    await eventually(async () => load.ackedSince(acked + 10), 10_000);
    await load.stop();
    expect(await load.missingOn(url(topology, promoted as string))).toEqual([]);
    // Back to an asynchronous fresh topology for the scenarios that follow.
    await local.down(syncOptions);
  });

  it('a frozen primary is replaced, and fenced once it wakes up', async () => {
    const app = await startApp(topology, `${base}freeze-${prefixes++}:`);
    apps.push(app);
    const load = new WriteLoad(app);
    await eventually(async () => load.acknowledged.length > 10);
    await local.freezeServer(options, PRIMARY);
    const state = app.get(TopologyStateService);
    const promoted = await eventually(async () => state.primaryOf('us-east') !== PRIMARY && state.primaryOf('us-east'), 30_000);
    const acked = load.acknowledged.length;
    await eventually(async () => load.ackedSince(acked + 5), 20_000);
    await local.thawServer(options, PRIMARY);
    // Fenced: its application database accepts no connection, so nothing can write to it.
    await eventually(() => queryServer(url(topology, PRIMARY), 'SELECT 1').then(() => false, (error: Error) => /not currently accepting connections/.test(error.message)), 20_000);
    await load.stop();
    expect(await serverPort(app)).toBe(portOf(topology, promoted as string));
    await expect(queryServer(url(topology, PRIMARY), `CREATE TABLE split_brain (id int)`)).rejects.toThrow(/not currently accepting connections/);
  });

  it('two app instances on one Redis: exactly one promotion, both route to the new primary', async () => {
    const prefix = `${base}pair-${prefixes++}:`;
    const [a, b] = [await startApp(topology, prefix), await startApp(topology, prefix)];
    apps.push(a, b);
    await local.killServer(options, PRIMARY);
    const promoted = await eventually(async () => {
      const [pa, pb] = [a, b].map((x) => x.get(TopologyStateService).primaryOf('us-east'));
      return pa !== PRIMARY && pa === pb && pa;
    }, 20_000);
    expect(await serverPort(a)).toBe(portOf(topology, promoted as string));
    expect(await serverPort(b)).toBe(portOf(topology, promoted as string));
    // Exactly one server left recovery: the other replica still follows.
    const roles = await Promise.all(REPLICAS.map(async (id) => (await queryServer<{ r: boolean }>(url(topology, id), 'SELECT pg_is_in_recovery() AS r'))[0].r));
    expect(roles.filter((inRecovery) => !inRecovery)).toHaveLength(1);
    // The record is written when the failover's last step (fencing) is over, after routing switched.
    const completed = async () => {
      const history = await request(a.getHttpServer()).get('/api/database/failover-history?limit=20').set('Authorization', `Bearer ${adminToken(a)}`);
      return history.body.failovers.filter((f: { outcome: string }) => f.outcome === 'completed');
    };
    await eventually(async () => (await completed()).length > 0, 15_000);
    expect(await completed()).toHaveLength(1);
    // The two instances agreed before one promoted: the record says who saw the primary down.
    expect((await completed())[0].quorum).toMatchObject({ needed: 2, votes: expect.arrayContaining([expect.any(String), expect.any(String)]) });

    // Instances that start later know the new primary at once: from Redis, or (with nothing stored) from the
    // servers themselves, whatever the configuration still says.
    const late = await startApp(topology, prefix);
    const fresh = await startApp(topology, `${base}fresh-${prefixes++}:`);
    apps.push(late, fresh);
    for (const instance of [late, fresh]) {
      expect(instance.get(TopologyStateService).primaryOf('us-east')).toBe(promoted);
      expect(await serverPort(instance)).toBe(portOf(topology, promoted as string));
    }
    expect(late.get(TopologyStateService).state('us-east').epoch).toBe(a.get(TopologyStateService).state('us-east').epoch);
  });

  it('a manual switchover with a healthy primary loses no acknowledged write; rejoin makes the old primary a replica', async () => {
    const app = await startApp(topology, `${base}manual-${prefixes++}:`);
    apps.push(app);
    const http = request(app.getHttpServer());
    const load = new WriteLoad(app);
    await eventually(async () => load.acknowledged.length > 20);
    const switchover = () =>
      http.post('/api/database/failover/us-east').set('Authorization', `Bearer ${adminToken(app)}`).send({ targetEndpoint: 'us-east-replica-2' });
    // Two at once: one runs, the other is told a failover is already running.
    const [response, second] = (await Promise.all([switchover(), switchover()])).sort((x, y) => x.status - y.status);
    expect([response.status, second.status]).toEqual([200, 409]);
    expect(response.body).toMatchObject({ success: true, failover: { planned: true, from: PRIMARY, to: 'us-east-replica-2', lagAtPromotionBytes: 0 } });
    const acked = load.acknowledged.length;
    await eventually(async () => load.ackedSince(acked + 5), 10_000);
    await load.stop();
    expect(await load.missingOn(url(topology, 'us-east-replica-2'))).toEqual([]);

    for (const [path, body, named] of [
      ['/api/database/failover/mars', {}, 'mars'],
      ['/api/database/failover/us-east', { targetEndpoint: 'eu-west-primary' }, 'eu-west-primary'],
      ['/api/database/failover/us-east', { targetRegion: 'asia-pacific' }, 'asia-pacific'],
    ] as const) {
      const unknown = await http.post(path).set('Authorization', `Bearer ${adminToken(app)}`).send(body);
      expect([unknown.status, unknown.body.message]).toEqual([404, expect.stringContaining(named)]);
    }

    await local.rejoin(options, PRIMARY, 'us-east-replica-2');
    const [row] = await queryServer<{ r: boolean }>(url(topology, PRIMARY), 'SELECT pg_is_in_recovery() AS r');
    expect(row.r).toBe(true);
    // Seen streaming again, the former primary is no longer fenced: a replica like the others.
    const state = app.get(TopologyStateService);
    await eventually(async () => {
      await app.get(DatabaseHealthMonitorService).probe(PRIMARY);
      return !state.isFenced('us-east', PRIMARY);
    }, 15_000);
    const marker = `after-rejoin-${Date.now()}`;
    await app.get(ConnectionRouterService).write('us-east').user.create({ data: { username: marker, email: 'm@x', passwordHash: 'x' } });
    await eventually(async () => (await queryServer(url(topology, PRIMARY), 'SELECT 1 FROM users WHERE username = $1', [marker])).length === 1, 15_000);
  });

  it('a failover with no replica to promote raises failover_failed; the old primary back by itself resolves it', async () => {
    const app = await startApp(topology, `${base}back-${prefixes++}:`);
    apps.push(app);
    const alerts = app.get(AlertService);
    for (const id of REPLICAS) await local.stopServer(options, id);
    await local.killServer(options, PRIMARY);
    await eventually(async () => (await alerts.active()).some((a) => a.key === 'failover_failed:us-east'), 20_000);

    // Restarted as an init system would: still the group's primary (nothing was promoted), so nothing fences it.
    await local.startServer(options, PRIMARY);
    const resolved = await eventually(
      async () => (await alerts.history(100)).find((e) => e.action === 'resolved' && e.alert.key === 'failover_failed:us-east'),
      20_000,
    );
    expect(resolved.alert.resolution).toBe('us-east takes writes again: its primary us-east-primary is healthy and writable');
    expect((await alerts.active()).map((a) => a.key)).not.toContain('failover_failed:us-east');
    expect(app.get(TopologyStateService).state('us-east')).toMatchObject({ primaryId: PRIMARY, epoch: 1 });
    expect(await serverPort(app)).toBe(portOf(topology, PRIMARY));
  });
});
