// Seed 001's geo key-value API on the real topology: values in the global database (primary in us-east,
// replicas in eu-west and asia-pacific), read through each region's own cache (the topology's Redis servers,
// or the shared Redis under a region prefix), invalidated everywhere on write.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { INestApplication } from '@nestjs/common';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Topology } from '../libs/regional-db/src/config/topology.types';
import type { Role } from '../src/auth/roles';
import { TokenService } from '../src/auth/token.service';
import { RedisService } from '../libs/regional-db/src/redis/redis.service';
import { RegionalCacheService } from '../src/regional-cache/regional-cache.service';
import { ConnectionRouter } from '../libs/regional-db/src/router/connection-router.service';
import { createTestApp, eventually } from './support/app';
import { testTopology } from './support/test-topology';

const settings: Record<string, string> = {
  REDIS_PREFIX: `${process.env.REDIS_PREFIX ?? 'rdr:'}geo-e2e-${randomUUID().slice(0, 8)}:`,
  GEO_CACHE_TTL_SECONDS: '60',
  FAILOVER_AUTOMATIC: 'false',
};
const REGIONS = ['us-east', 'eu-west', 'asia-pacific'];
const PROBE_MS = 300;

describe('geo key-value API with region caches (real topology)', () => {
  const saved: Record<string, string | undefined> = {};
  let topology: Topology;
  let app: INestApplication;
  let http: ReturnType<INestApplication['getHttpServer']>;
  let cache: RegionalCacheService;
  const unique = () => `user:${randomUUID()}`;

  let userAuth: string;
  const tokenOf = (sub: string, roles: Role[]) => `Bearer ${app.get(TokenService).sign({ sub, roles, region: 'us-east' })}`;
  const writeAs = (auth: string | undefined, key: string, value: string) => {
    const req = request(http).post('/api/geo/write').set('X-Region', 'us-east');
    return (auth ? req.set('Authorization', auth) : req).send({ key, value });
  };
  const write = (key: string, value: string) => writeAs(userAuth, key, value).expect(200);
  const read = (key: string, region: string) => request(http).get(`/api/geo/read/${encodeURIComponent(key)}`).set('X-Region', region);

  beforeAll(async () => {
    for (const [name, value] of Object.entries(settings)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
    const shared = testTopology();
    // Probed often, so that one slow first probe does not mark a global replica "far" for the default 30 s.
    topology = { ...shared, global: shared.global && { ...shared.global, healthIntervalMs: PROBE_MS } };
    app = await createTestApp({ topology });
    http = app.getHttpServer();
    cache = app.get(RegionalCacheService);
    userAuth = tokenOf(randomUUID(), ['user']);
  });

  afterAll(async () => {
    const prefix = settings.REDIS_PREFIX;
    const clients = [app?.get(RedisService).client, ...topology.regions.filter((r) => r.cacheUrl).map((r) => new Redis(r.cacheUrl!))];
    for (const client of clients) {
      const keys = (await client?.keys(`${prefix}*`)) ?? [];
      if (keys.length) await client!.del(...keys);
    }
    await Promise.all(clients.slice(1).map((c) => c!.quit()));
    await app?.close();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('writes to the global primary and names the regions its replicas are in', async () => {
    const res = await write(unique(), 'data');
    expect(res.body).toMatchObject({ primary_region: 'us-east', invalidated: expect.arrayContaining(REGIONS) });
    expect([...res.body.replicated_to].sort()).toEqual(['asia-pacific', 'eu-west']);
    expect(res.body.lsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
  });

  it('takes writes only from a user or admin token', async () => {
    const key = unique();
    const anonymous = await writeAs(undefined, key, 'x').expect(401);
    expect(anonymous.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Missing bearer token (Authorization: Bearer <jwt>)' });
    const viewer = await writeAs(tokenOf('e2e-viewer', ['viewer']), key, 'x').expect(403);
    expect(viewer.body.message).toBe('Writing geo keys requires the user or admin role');
    await read(key, 'us-east').expect(404);
  });

  it("lets a user overwrite only the keys they created; an admin's keys and anyone's for an admin", async () => {
    const key = unique();
    const other = tokenOf(randomUUID(), ['user']);
    const admin = tokenOf('e2e-admin', ['admin']);
    await write(key, 'mine');
    const refused = await writeAs(other, key, 'theirs').expect(403);
    expect(refused.body).toEqual({ statusCode: 403, error: 'Forbidden', message: `Key "${key}" belongs to another user` });
    await write(key, 'mine again');
    await writeAs(admin, key, 'the admin').expect(200);
    expect((await read(key, 'us-east').expect(200)).body.value).toBe('the admin');
    const shared = unique();
    await writeAs(admin, shared, 'for everyone').expect(200);
    await writeAs(userAuth, shared, 'taken over').expect(403);
    expect((await read(shared, 'us-east').expect(200)).body.value).toBe('for everyone');
  });

  it('reads a us-east write in eu-west from the database, then from the eu-west cache', async () => {
    const key = unique();
    await write(key, 'from us-east');
    const first = await read(key, 'eu-west').expect(200);
    expect(first.body).toMatchObject({ key, value: 'from us-east', region: 'eu-west', source: 'database' });
    expect(first.body.latency_ms).toBeGreaterThan(0);

    const second = await read(key, 'eu-west').expect(200);
    expect(second.body).toMatchObject({ value: 'from us-east', region: 'eu-west', source: 'cache' });
    expect(await cache.peek('eu-west', `geo:${key}`)).toBe('from us-east');
    expect(await cache.peek('us-east', `geo:${key}`)).toBeNull();
  });

  it('reads the database copy nearest to the caller: the global replica located in its region', async () => {
    const router = app.get(ConnectionRouter);
    for (const [region, replica] of [['eu-west', 'global-replica-1'], ['asia-pacific', 'global-replica-2']]) {
      // Straight to the global primary: no write fence, which would send the first read to the primary. Fresh
      // keys (never cached). The router ranks by smoothed RTT before distance: on this loaded machine one slow
      // probe can make a replica look far until later probes smooth it out, hence a few tries.
      const served = await eventually(async () => {
        const key = unique();
        await router.global().write().keyValue.create({ data: { key, value: region } });
        router.resetRoutingMetrics();
        const res = await read(key, region);
        const routed = Object.entries(router.routingMetrics().queriesRouted.byEndpoint).filter(([id, n]) => id.startsWith('global') && n > 0);
        return res.status === 200 && routed.length === 1 && routed[0][0] === replica && routed[0][0];
      });
      expect([region, served]).toEqual([region, replica]);
    }
  });

  it('keeps each region in its own cache server when the topology gives one', async () => {
    const own = topology.regions.filter((r) => r.cacheUrl);
    if (own.length === 0) return; // no redis-server on this machine: every region shares REDIS_URL
    const key = unique();
    await write(key, 'where am I');
    await read(key, 'asia-pacific').expect(200);
    for (const region of own) {
      const direct = new Redis(region.cacheUrl!);
      try {
        expect([region.name, await direct.get(`${settings.REDIS_PREFIX}geo:${key}`)]).toEqual([region.name, region.name === 'asia-pacific' ? 'where am I' : null]);
      } finally {
        await direct.quit();
      }
    }
  });

  it('invalidates the cached value in every region on the next write', async () => {
    const key = unique();
    await write(key, 'v1');
    for (const region of REGIONS) {
      await read(key, region).expect(200);
      expect((await read(key, region).expect(200)).body).toMatchObject({ value: 'v1', source: 'cache' });
    }
    const second = await write(key, 'v2');
    expect([...second.body.invalidated].sort()).toEqual([...REGIONS].sort());
    for (const region of REGIONS) expect([region, await cache.peek(region, `geo:${key}`)]).toEqual([region, null]);
    // No reader gets the old value back, even from a replica that has not replayed v2 yet (the fence says where v2 is).
    for (const region of REGIONS) expect((await read(key, region).expect(200)).body).toMatchObject({ value: 'v2', source: 'database' });
  });

  it('does not let a read that began before a write cache the old value after it', async () => {
    const key = `geo:${unique()}`;
    const seen = await cache.lookup('eu-west', key);
    await cache.invalidateEverywhere(key, '0/1', 60);
    expect(await cache.fill('eu-west', key, 'stale', seen.fence, 60)).toBe(false);
    expect(await cache.peek('eu-west', key)).toBeNull();
    const fresh = await cache.lookup('eu-west', key);
    expect(fresh.fence).toBe('0/1');
    expect(await cache.fill('eu-west', key, 'fresh', fresh.fence, 60)).toBe(true);
  });

  it('reports per-region records and health', async () => {
    const key = unique();
    await write(key, 'counted');
    const stats = await eventually(async () => {
      const res = await request(http).get('/api/geo/stats').expect(200);
      return res.body.regions.every((r: { total_records: number | null }) => (r.total_records ?? 0) > 0) && res.body;
    });
    expect(stats.regions.map((r: { region: string }) => r.region).sort()).toEqual([...REGIONS].sort());
    expect(stats).toMatchObject({ healthy_regions: 3, replication_enabled: true });
    for (const r of stats.regions) expect(r.healthy).toBe(true);
  });

  it.each([
    ['an unknown key', () => read('no-such-key-here', 'eu-west'), 404, 'Key "no-such-key-here" not found'],
    ['a key over 200 characters', () => read('k'.repeat(201), 'eu-west'), 400, 'key must be 1 to 200 characters without control characters'],
    ['no key', () => request(http).get('/api/geo/read/'), 400, 'key must be 1 to 200 characters without control characters'],
    ['an empty key on write', () => request(http).post('/api/geo/write').set('Authorization', userAuth).send({ key: '', value: 'x' }), 400, 'key must be 1 to 200 characters without control characters'],
    ['a missing value', () => request(http).post('/api/geo/write').set('Authorization', userAuth).send({ key: 'k' }), 400, 'value must be a string'],
    ['an unknown region', () => read('k', 'mars'), 400, 'Unknown region "mars" in X-Region header'],
  ])('answers %s with a clear 4xx', async (_, send, status, message) => {
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.body.message).toContain(message);
  });
});
