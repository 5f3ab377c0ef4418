import { validateEnvironment } from '../src/config/environment';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Body, Controller, Get, INestApplication, Param, Post } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { AppModule } from '../src/app.module';
import { configureApp } from '../src/app.setup';
import { allEndpoints, Topology } from '../libs/regional-db/src/config/topology.types';
import type { RegionalPrismaClient } from '../src/app-prisma-clients';
import { EndpointRegistry } from '../libs/regional-db/src/database/endpoint-registry';
import { DatabaseHealthMonitorService } from '../libs/regional-db/src/health/database-health-monitor.service';
import { currentRequestContext, requestContext } from '../libs/regional-db/src/request-context/request-context';
import { ConnectionRouter, ConnectionRouterService } from '../libs/regional-db/src/router/connection-router.service';
import { RouterModule } from '../libs/regional-db/src/router/router.module';
import { TopologyStateService } from '../libs/regional-db/src/topology-state/topology-state.service';
import { bearer, eventually } from './support/app';
import { chaos, testTopology } from './support/test-topology';
import { everyEndpointHealthy } from './support/suite';

const WHERE = 'SELECT inet_server_port() AS port';

/** A feature controller as an application would write one: no region argument, the request decides. */
@Controller('router-test')
class RouterTestController {
  constructor(private readonly db: ConnectionRouter) {}

  @Post('users')
  createUser(@Body('username') username: string) {
    return this.db.write().user.create({ data: { username, email: `${username}@example.com`, passwordHash: 'x' } });
  }

  @Get('users/:username')
  async findUser(@Param('username') username: string) {
    return { user: await this.db.read().user.findUnique({ where: { username } }) };
  }

  @Post('users/write-then-read')
  async writeThenRead(@Body('username') username: string) {
    await this.db.write().user.create({ data: { username, email: `${username}@example.com`, passwordHash: 'x' } });
    return { user: await this.db.read().user.findUnique({ where: { username } }) };
  }

  @Get('where')
  async where() {
    const [read] = await this.db.read().$queryRawUnsafe<{ port: number }[]>(WHERE);
    const [write] = await this.db.write().$queryRawUnsafe<{ port: number }[]>(WHERE);
    return { region: currentRequestContext()?.region, readPort: read.port, writePort: write.port };
  }
}

describe('ConnectionRouterService on the real topology', () => {
  let topology: Topology;
  let app: INestApplication;
  let router: ConnectionRouterService;
  let monitor: DatabaseHealthMonitorService;
  let registry: EndpointRegistry;
  const idByPort = new Map<number, string>();
  const toRestore: (() => Promise<void>)[] = [];

  /** Which endpoint served a read through the router. */
  const servedBy = async (client: Pick<RegionalPrismaClient, '$queryRawUnsafe'> = router.read('us-east')) => idByPort.get((await client.$queryRawUnsafe<{ port: number }[]>(WHERE))[0].port)!;
  const healthy = (id: string) => monitor.health(id)?.isHealthy === true;

  /** Breaks something now and undoes it after the test, whatever happens. */
  async function breakFor(action: () => Promise<void>, undo: () => Promise<void>): Promise<void> {
    toRestore.push(undo);
    await action();
  }

  /** Pauses WAL replay until the end of the test, returning once the replica has really stopped replaying. */
  async function pauseReplay(id: string): Promise<void> {
    await breakFor(() => chaos.pauseReplay(id), () => chaos.resumeReplay(id));
    await eventually(async () => {
      const { rows } = await registry.get(id).pool.query<{ state: string }>('SELECT pg_get_wal_replay_pause_state() AS state');
      return rows[0].state === 'paused';
    });
  }

  async function counts(n: number, concurrency: number, read: () => Promise<string>): Promise<Map<string, number>> {
    const seen = new Map<string, number>();
    let issued = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (issued++ < n) {
          const id = await read();
          seen.set(id, (seen.get(id) ?? 0) + 1);
        }
      }),
    );
    return seen;
  }

  beforeAll(async () => {
    topology = testTopology();
    for (const e of allEndpoints(topology)) idByPort.set(Number(new URL(e.url).port), e.id);
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule.forRoot({ topology }), RouterModule],
      controllers: [RouterTestController],
    }).compile();
    app = configureApp(moduleRef.createNestApplication({ logger: ['error'] }));
    await app.listen(0, '127.0.0.1');
    router = app.get(ConnectionRouterService);
    monitor = app.get(DatabaseHealthMonitorService);
    registry = app.get(EndpointRegistry);
    await everyEndpointHealthy(monitor, topology);
  });

  afterEach(async () => {
    for (const undo of toRestore.splice(0).reverse()) await undo();
    if (!monitor) return;
    // Later tests (and suites) start from a healthy, caught-up topology.
    await eventually(async () => {
      await monitor.runRound();
      return allEndpoints(topology).every((e) => healthy(e.id) && !monitor.health(e.id)!.replayPaused);
    }, 30_000, 250);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('spreads reads over the region replicas and never reads from the primary', async () => {
    // Both replicas serve; how evenly depends on what this machine measures of them (nearest by round trip,
    // then fewest in flight): on a busy host one may answer slower for a while and rightly get less. Exact
    // rotation among equals is replica-selector.spec.ts's.
    const seen = await counts(1000, 1, () => servedBy());
    expect([...seen.keys()].sort()).toEqual(['us-east-replica-1', 'us-east-replica-2']);
    for (const id of seen.keys()) expect(seen.get(id)!).toBeGreaterThanOrEqual(50);
  });

  it('sends no read to a stopped replica, and all reads to the primary when every replica is stopped', async () => {
    await breakFor(() => chaos.stop('us-east-replica-1'), () => chaos.start('us-east-replica-1'));
    await eventually(async () => (await monitor.runRound(), !healthy('us-east-replica-1')));
    router.resetRoutingMetrics();
    expect(await counts(200, 4, () => servedBy())).toEqual(new Map([['us-east-replica-2', 200]]));
    expect(router.routingMetrics().queriesRouted.byEndpoint['us-east-replica-1']).toBe(0);

    await breakFor(() => chaos.stop('us-east-replica-2'), () => chaos.start('us-east-replica-2'));
    await eventually(async () => (await monitor.runRound(), !healthy('us-east-replica-2')));
    router.resetRoutingMetrics();
    expect(await counts(100, 4, () => servedBy())).toEqual(new Map([['us-east-primary', 100]]));
    expect(router.routingMetrics()).toEqual(expect.objectContaining({ fallbacksToPrimary: 100, failedQueries: 0 }));
  });

  it('keeps reads bounded by lag off a replica whose replay is paused; unbounded reads may use it', async () => {
    await pauseReplay('us-east-replica-1');
    const write = async () => router.write('us-east').user.create({ data: { username: `lag-${randomUUID()}`, email: 'lag@example.com', passwordHash: 'x' } });
    await write();
    await monitor.runRound();
    await new Promise((r) => setTimeout(r, 1_200));
    await write();
    await monitor.runRound();
    expect(monitor.health('us-east-replica-1')!.replicationLagMs).toBeGreaterThan(1_000);
    expect(monitor.health('us-east-replica-2')!.replicationLagMs).toBeLessThan(1_000);

    const bounded = await counts(100, 4, () => servedBy(router.read('us-east', { maxLagMs: 1_000 })));
    expect(bounded).toEqual(new Map([['us-east-replica-2', 100]]));
    const unbounded = await counts(100, 4, () => servedBy(router.read('us-east', { maxLagMs: 3_600_000 })));
    expect(unbounded.get('us-east-replica-1')).toBeGreaterThan(20);
  });

  it('reads its own write through a consistency token while every replica lags, from the primary', async () => {
    for (const id of ['us-east-replica-1', 'us-east-replica-2']) await pauseReplay(id);
    const username = `ryw-${randomUUID()}`;
    await router.write('us-east').user.create({ data: { username, email: 'ryw@example.com', passwordHash: 'x' } });
    const token = await router.consistencyToken('us-east');
    await monitor.runRound();
    // The replicas really are behind: a read without the token does not see the row.
    expect(await router.read('us-east').user.findUnique({ where: { username } })).toBeNull();
    router.resetRoutingMetrics();
    const withToken = router.read('us-east', { consistencyToken: token });
    expect(await withToken.user.findUnique({ where: { username } })).toEqual(expect.objectContaining({ username }));
    expect(await servedBy(withToken)).toBe('us-east-primary');
    expect(router.routingMetrics().fallbacksByReason['no-replica-qualifies']).toBe(2);
  });

  it('reads its own write across two HTTP requests of one client (cookie or header), and within one request', async () => {
    for (const id of ['us-east-replica-1', 'us-east-replica-2']) await pauseReplay(id);
    const server = app.getHttpServer();
    const username = `http-${randomUUID()}`;
    const created = await request(server).post('/router-test/users').set('X-Region', 'us-east').send({ username }).expect(201);
    const token = created.headers['x-consistency-token'];
    expect(token).toMatch(/^us-east@[0-9A-F]+\/[0-9A-F]+$/);
    const cookie = (created.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('rdr_consistency='))!;
    expect(cookie).toContain('HttpOnly');

    // Without the token the lagging replicas serve the read: the row is not there yet.
    expect((await request(server).get(`/router-test/users/${username}`).expect(200)).body.user).toBeNull();
    const byCookie = await request(server).get(`/router-test/users/${username}`).set('Cookie', cookie.split(';')[0]).expect(200);
    expect(byCookie.body.user).toEqual(expect.objectContaining({ username }));
    const byHeader = await request(server).get(`/router-test/users/${username}`).set('X-Consistency-Token', token).expect(200);
    expect(byHeader.body.user).toEqual(expect.objectContaining({ username }));
    // A malformed token is ignored, not an error.
    await request(server).get(`/router-test/users/${username}`).set('X-Consistency-Token', 'us-east@nope').expect(200);

    const second = `http-${randomUUID()}`;
    const same = await request(server).post('/router-test/users/write-then-read').send({ username: second }).expect(201);
    expect(same.body.user).toEqual(expect.objectContaining({ username: second }));
  });

  it('loses no read when a replica is killed with reads in flight', async () => {
    await breakFor(() => Promise.resolve(), () => chaos.start('us-east-replica-1'));
    router.resetRoutingMetrics();
    let failures = 0;
    let done = 0;
    const deadline = Date.now() + 2_500;
    const workers = Array.from({ length: 8 }, async () => {
      while (Date.now() < deadline) {
        try {
          await router.read('us-east').$queryRawUnsafe('SELECT inet_server_port() AS port FROM pg_sleep(0.02)');
          done++;
        } catch {
          failures++;
        }
      }
    });
    await new Promise((r) => setTimeout(r, 600));
    await chaos.kill('us-east-replica-1');
    await Promise.all(workers);
    expect(failures).toBe(0);
    expect(done).toBeGreaterThan(100);
    expect(router.routingMetrics().retries).toBeGreaterThan(0);
  });

  it('takes the region from X-Region (unknown: 400) or the JWT claim, and routes there', async () => {
    const server = app.getHttpServer();
    const mars = await request(server).get('/router-test/where').set('X-Region', 'mars').expect(400);
    expect(mars.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'Unknown region "mars" in X-Region header (known: us-east, eu-west, asia-pacific)',
    });
    const eu = await request(server).get('/router-test/where').set('X-Region', 'eu-west').expect(200);
    expect([eu.body.region, idByPort.get(eu.body.readPort), idByPort.get(eu.body.writePort)]).toEqual(['eu-west', 'eu-west-replica-1', 'eu-west-primary']);
    const payload = Buffer.from(JSON.stringify({ sub: 'u1', region: 'asia-pacific' })).toString('base64url');
    const ap = await request(server).get('/router-test/where').set('Authorization', `Bearer eyJhbGciOiJIUzI1NiJ9.${payload}.sig`).expect(200);
    expect([ap.body.region, idByPort.get(ap.body.readPort)]).toEqual(['asia-pacific', 'asia-pacific-replica-1']);
    const fallback = await request(server).get('/router-test/where').expect(200);
    expect(fallback.body.region).toBe(topology.defaultRegion);
  });

  it('throws a 404 naming an unknown region passed in code', () => {
    expect(() => router.read('mars')).toThrow('Unknown region "mars" (known: us-east, eu-west, asia-pacific)');
  });

  it('routes global reads to the global replica nearest the caller, writes to the global primary', async () => {
    const global = router.global();
    expect(await servedBy(global.write())).toBe('global-primary');
    // Both global replicas measure about the same RTT here: distance from the caller's region decides.
    const inRegion = (region: string) =>
      requestContext.run({ region, regionSource: 'header', readAfter: new Map(), wroteTo: new Set() }, () => servedBy(global.read()));
    expect(await inRegion('eu-west')).toBe('global-replica-1');
    expect(await inRegion('asia-pacific')).toBe('global-replica-2');
  });

  it('a held client follows a change of primary at execution time', async () => {
    // A private topology state: the shared one must not see a fake failover.
    const state = new TopologyStateService(topology);
    const own = new ConnectionRouterService(topology, registry, state, monitor, validateEnvironment(process.env));
    const writer = own.write('eu-west');
    expect(idByPort.get((await writer.$queryRawUnsafe<{ port: number }[]>(WHERE))[0].port)).toBe('eu-west-primary');
    state.setPrimary('eu-west', 'eu-west-replica-1');
    expect(idByPort.get((await writer.$queryRawUnsafe<{ port: number }[]>(WHERE))[0].port)).toBe('eu-west-replica-1');
    // Reads never use the fenced former primary: with no replica left, the new primary serves them.
    expect(await servedBy(own.read('eu-west'))).toBe('eu-west-replica-1');
    expect(own.routingMetrics().fallbacksToPrimary).toBe(1);
  });

  it('reports routing metrics per kind and endpoint, and pools without secrets', async () => {
    router.resetRoutingMetrics();
    await router.read('us-east').user.count();
    await router.analytics('us-east').user.count();
    await router.write('us-east').$executeRawUnsafe('SELECT 1');
    await router.transaction('us-east', (tx) => tx.user.count());
    const metrics = router.routingMetrics();
    expect(metrics.queriesRouted.byKind).toEqual({ write: 1, transactional: 1, read: 1, analytics: 1, background: 0 });
    expect(metrics.queriesRouted.byEndpoint['us-east-primary']).toBe(2);
    expect(metrics.averageLatencyMs).toBeGreaterThan(0);
    expect(metrics.p95LatencyMs).toBeGreaterThanOrEqual(metrics.averageLatencyMs * 0.5);

    const response = await request(app.getHttpServer()).get('/api/database/connections').set('Authorization', bearer(app)).expect(200);
    expect(response.body.endpoints.map((e: { id: string }) => e.id).sort()).toEqual(allEndpoints(topology).map((e) => e.id).sort());
    expect(response.body.endpoints.find((e: { id: string }) => e.id === 'us-east-primary')).toEqual(
      expect.objectContaining({ role: 'primary', group: 'us-east', healthy: true, pool: expect.objectContaining({ max: topology.pool.max }) }),
    );
    expect(response.text).not.toMatch(/postgres(ql)?:\/\//);
    for (const e of allEndpoints(topology)) {
      const password = new URL(e.url).password;
      if (password) expect(response.text).not.toContain(password);
    }
  });

  it('refreshes pools without failing the queries in flight', async () => {
    const server = app.getHttpServer();
    // Awaited at once (a routed call, like Prisma's own, runs when awaited): these are in flight during the refresh.
    const inFlight = Promise.all(Array.from({ length: 4 }, () => router.write('eu-west').$queryRawUnsafe<{ port: number }[]>('SELECT inet_server_port() AS port FROM pg_sleep(0.5)')));
    await new Promise((r) => setTimeout(r, 100));
    const refreshed = await request(server).post('/api/database/connections/refresh').set('Authorization', bearer(app)).send({ group: 'eu-west' }).expect(200);
    expect(refreshed.body).toEqual({ refreshed: ['eu-west-primary', 'eu-west-replica-1'] });
    await expect(inFlight).resolves.toHaveLength(4);
    expect(await servedBy(router.read('eu-west'))).toBe('eu-west-replica-1');
    await request(server).post('/api/database/connections/refresh').set('Authorization', bearer(app)).send({ group: 'mars' }).expect(404);
    await request(server).post('/api/database/connections/refresh').set('Authorization', bearer(app)).send({ group: 7 }).expect(400);
  });
});
