import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { allEndpoints, allGroups } from '../libs/regional-db/src/config/topology.types';
import { DatabaseHealthMonitorService } from '../libs/regional-db/src/health/database-health-monitor.service';
import { ConnectionRouterService } from '../libs/regional-db/src/router/connection-router.service';
import { createTestApp, eventually } from './support/app';
import { parseExposition, sum, value } from './support/prometheus-exposition';
import { chaos, testTopology } from './support/test-topology';

const VICTIM = 'eu-west-replica-1';
const FAMILIES: [string, string][] = [
  ['db_endpoint_up', 'gauge'],
  ['db_endpoint_probe_duration_seconds', 'histogram'],
  ['db_endpoint_probe_failures_total', 'counter'],
  ['db_replication_lag_bytes', 'gauge'],
  ['db_replication_lag_seconds', 'gauge'],
  ['db_pool_connections', 'gauge'],
  ['db_pool_max', 'gauge'],
  ['db_queries_routed_total', 'counter'],
  ['db_query_fallbacks_total', 'counter'],
  ['db_query_retries_total', 'counter'],
  ['db_query_failures_total', 'counter'],
  ['db_failovers_total', 'counter'],
  ['db_failover_duration_seconds', 'histogram'],
  ['db_alerts_active', 'gauge'],
  ['db_alerts_raised_total', 'counter'],
  ['db_group_epoch', 'gauge'],
  ['db_coordination_available', 'gauge'],
  ['db_endpoint_primary', 'gauge'],
  ['db_endpoint_fenced', 'gauge'],
  ['db_pool_waiting_clients', 'gauge'],
  ['db_failover_in_progress', 'gauge'],
  ['db_failover_paused', 'gauge'],
  ['db_router_build_info', 'gauge'],
  ['http_requests_total', 'counter'],
  ['http_request_duration_seconds', 'histogram'],
  ['process_cpu_seconds_total', 'counter'],
  ['process_resident_memory_bytes', 'gauge'],
  ['nodejs_eventloop_lag_seconds', 'gauge'],
];

describe('GET /metrics on the shared topology', () => {
  const topology = testTopology();
  const previousPrefix = process.env.REDIS_PREFIX;
  let app: INestApplication;

  const scrape = async (target = app) => {
    const response = await request(target.getHttpServer()).get('/metrics');
    expect(response.status).toBe(200);
    return parseExposition(response.text);
  };

  beforeAll(async () => {
    // Alerts of this app only: an alert another suite left active would not be raised again here.
    process.env.REDIS_PREFIX = `metrics-${randomUUID().slice(0, 8)}:`;
    app = await createTestApp();
    // Every endpoint up before anything is asserted: an earlier suite's chaos, or a first probe timing out on
    // a busy machine, may leave one unsettled for a moment.
    const monitor = app.get(DatabaseHealthMonitorService);
    await eventually(async () => {
      await monitor.runRound();
      return allEndpoints(topology).every((e) => monitor.health(e.id).isHealthy);
    }, 60_000, 500);
  }, 90_000);
  afterAll(async () => {
    await app?.close();
    process.env.REDIS_PREFIX = previousPrefix;
  });

  it('is the text format, every line well-formed, with every family, named and typed by convention', async () => {
    const response = await request(app.getHttpServer()).get('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const families = parseExposition(response.text);
    for (const [name, type] of FAMILIES) {
      expect({ name, type: families.get(name)?.type, help: Boolean(families.get(name)?.help) }).toEqual({ name, type, help: true });
    }
    for (const family of families.values()) {
      if (family.type === 'counter') expect(family.name).toMatch(/_total$/);
      expect(family.name).not.toMatch(/_(ms|milliseconds|kb|mb)(_|$)/);
    }

    // One up sample per endpoint, labelled with what never changes (no role: a failover would replace its series);
    // the role is a gauge of its own.
    for (const endpoint of allEndpoints(topology)) {
      const primary = endpoint.id === allGroups(topology).find((g) => g.name === endpoint.group)!.primary.id;
      const up = families.get('db_endpoint_up')!.samples.filter((s) => s.labels.endpoint === endpoint.id);
      expect(up).toEqual([{ name: 'db_endpoint_up', labels: { endpoint: endpoint.id, group: endpoint.group, region: endpoint.region }, value: 1 }]);
      expect(value(families, 'db_endpoint_primary', { endpoint: endpoint.id, group: endpoint.group })).toBe(primary ? 1 : 0);
      expect(value(families, 'db_endpoint_fenced', { endpoint: endpoint.id, group: endpoint.group })).toBe(0);
      expect(value(families, 'db_pool_max', { endpoint: endpoint.id })).toBe(topology.pool.max);
      // Connections only: callers waiting for one are a family of their own.
      expect(families.get('db_pool_connections')!.samples.filter((s) => s.labels.endpoint === endpoint.id).map((s) => s.labels.state).sort()).toEqual(['idle', 'in_use']);
      expect(value(families, 'db_pool_waiting_clients', { endpoint: endpoint.id })).toBeGreaterThanOrEqual(0);
      expect(value(families, 'db_endpoint_probe_duration_seconds_count', { endpoint: endpoint.id })).toBeGreaterThan(0);
    }
    for (const group of allGroups(topology)) {
      expect(value(families, 'db_group_epoch', { group: group.name })).toBeGreaterThanOrEqual(1);
      expect(value(families, 'db_failover_in_progress', { group: group.name })).toBe(0);
      expect(value(families, 'db_failover_paused', { group: group.name })).toBe(0);
    }
    const [build] = families.get('db_router_build_info')!.samples;
    expect(build).toEqual({ name: 'db_router_build_info', labels: { version: expect.stringMatching(/^\d+\.\d+\.\d+/), node_version: process.version }, value: 1 });
    for (const replica of allGroups(topology).flatMap((g) => g.replicas)) {
      expect(value(families, 'db_replication_lag_bytes', { endpoint: replica.id })).toBeGreaterThanOrEqual(0);
    }
    expect(sum(families, 'db_alerts_active', { type: 'endpoint_down', severity: 'critical' })).toBe(0);
  });

  it('counts routed queries per kind and per endpoint', async () => {
    const before = await scrape();
    const router = app.get(ConnectionRouterService);
    await router.read('eu-west').user.findFirst({ where: { username: 'metrics-nobody' } });
    await router.write('eu-west').user.findFirst({ where: { username: 'metrics-nobody' } });
    const after = await scrape();
    expect(sum(after, 'db_queries_routed_total') - sum(before, 'db_queries_routed_total')).toBe(2);
    for (const pair of [{ kind: 'write', endpoint: 'eu-west-primary' }, { kind: 'read', endpoint: 'eu-west-replica-1' }]) {
      expect(value(after, 'db_queries_routed_total', pair) - value(before, 'db_queries_routed_total', pair)).toBe(1);
    }
  });

  it('counts HTTP requests by method, route template and status; paths no route takes are one series', async () => {
    const http = request(app.getHttpServer());
    const before = await scrape();
    const route = { method: 'GET', route: '/health/groups/:group/primary', status: '200' };
    await http.get('/health/groups/us-east/primary').expect(200);
    await http.get('/health/groups/eu-west/primary').expect(200);
    await http.get(`/no-such-path-${randomUUID()}`).expect(404);
    const after = await scrape();
    expect(sum(after, 'http_requests_total', route) - sum(before, 'http_requests_total', route)).toBe(2);
    expect(value(after, 'http_request_duration_seconds_count', route)).toBeGreaterThanOrEqual(2);
    expect(sum(after, 'http_requests_total', { route: 'unmatched', status: '404' })).toBeGreaterThanOrEqual(1);
    expect(after.get('http_requests_total')!.samples.some((s) => s.labels.route.includes('no-such-path'))).toBe(false);
  });

  it('counts failed queries by group and operation kind', async () => {
    const before = await scrape();
    const router = app.get(ConnectionRouterService);
    await expect(router.write('eu-west').$queryRawUnsafe('SELECT * FROM no_such_table_metrics')).rejects.toThrow();
    const after = await scrape();
    const labels = { group: 'eu-west', kind: 'write' };
    expect(sum(after, 'db_query_failures_total', labels) - sum(before, 'db_query_failures_total', labels)).toBe(1);
  });

  it('moves when a replica is stopped: up 0, probe failures, an endpoint_down alert, reads fall back to the primary', async () => {
    const monitor = app.get(DatabaseHealthMonitorService);
    const before = await scrape();
    expect(value(before, 'db_endpoint_up', { endpoint: VICTIM })).toBe(1);
    await chaos.stop(VICTIM);
    try {
      const down = await eventually(async () => {
        await monitor.runRound();
        const families = await scrape();
        return value(families, 'db_endpoint_up', { endpoint: VICTIM }) === 0 && families;
      }, 30_000, 200);
      expect(value(down, 'db_endpoint_up', { endpoint: VICTIM, group: 'eu-west' })).toBe(0);
      expect(value(down, 'db_endpoint_up', { endpoint: 'eu-west-primary' })).toBe(1);
      expect(value(down, 'db_endpoint_probe_failures_total', { endpoint: VICTIM })).toBeGreaterThan(0);

      const alerted = await eventually(async () => {
        const families = await scrape();
        return sum(families, 'db_alerts_active', { type: 'endpoint_down' }) >= 1 && families;
      }, 30_000, 200);
      expect(sum(alerted, 'db_alerts_raised_total', { type: 'endpoint_down' })).toBeGreaterThanOrEqual(1);

      const fallbacks = sum(alerted, 'db_query_fallbacks_total');
      await app.get(ConnectionRouterService).read('eu-west').user.findFirst({ where: { username: 'metrics-nobody' } });
      expect(sum(await scrape(), 'db_query_fallbacks_total') - fallbacks).toBe(1);
    } finally {
      await chaos.start(VICTIM);
      await eventually(async () => (await monitor.runRound(), monitor.health(VICTIM).isHealthy), 30_000, 200);
    }
    expect(value(await scrape(), 'db_endpoint_up', { endpoint: VICTIM })).toBe(1);
  });

  it('(the reader used here rejects malformed exposition text)', () => {
    const typed = '# TYPE x gauge\n';
    expect(parseExposition(`${typed}x{a="1",b="q\\"uote"} 1.5e3\n`).get('x')?.samples[0]).toEqual({ name: 'x', labels: { a: '1', b: 'q"uote' }, value: 1500 });
    for (const bad of ['x 1', `${typed}x{a=1} 1`, `${typed}x{a="1"b="2"} 1`, `${typed}x one`, `${typed}1x 1`, `${typed}x{a="1",a="2"} 1`, '# TYPE x gauges', `${typed}# TYPE x gauge`]) {
      expect(() => parseExposition(bad)).toThrow(/^line \d+/);
    }
  });

  it('with METRICS_TOKEN set, refuses a scrape without that bearer token', async () => {
    const token = randomUUID();
    process.env.METRICS_TOKEN = token;
    let guarded: INestApplication | undefined;
    try {
      guarded = await createTestApp();
      const http = request(guarded.getHttpServer());
      const missing = await http.get('/metrics');
      expect(missing.status).toBe(401);
      expect(missing.body).toMatchObject({ statusCode: 401, message: expect.stringMatching(/METRICS_TOKEN/) });
      expect((await http.get('/metrics').set('Authorization', 'Bearer wrong-token-0123456789')).status).toBe(401);
      const granted = await http.get('/metrics').set('Authorization', `Bearer ${token}`);
      expect(granted.status).toBe(200);
      expect(parseExposition(granted.text).has('db_endpoint_up')).toBe(true);
    } finally {
      delete process.env.METRICS_TOKEN;
      await guarded?.close();
    }
  });
});
