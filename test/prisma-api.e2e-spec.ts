// The Prisma client API a user writes, through routed clients on the real topology: Prisma's batching kept
// (calls made in one tick go to one endpoint), the fluent relation API, batch and interactive transactions on
// the primary, tagged raw queries, and typed results (checked by `npm run typecheck`).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { AppModule } from '../src/app.module';
import { configureApp } from '../src/app.setup';
import { allEndpoints, Topology } from '../libs/regional-db/src/config/topology.types';
import { EndpointRegistry } from '../libs/regional-db/src/database/endpoint-registry';
import { DatabaseHealthMonitorService } from '../libs/regional-db/src/health/database-health-monitor.service';
import { ConnectionRouterService } from '../libs/regional-db/src/router/connection-router.service';
import { RouterModule } from '../libs/regional-db/src/router/router.module';
import { eventually } from './support/app';
import { testTopology } from './support/test-topology';

describe('Prisma client API through the router', () => {
  let topology: Topology;
  let app: INestApplication;
  let router: ConnectionRouterService;
  let registry: EndpointRegistry;
  let monitor: DatabaseHealthMonitorService;

  const newUser = (tag: string) => {
    const username = `${tag}-${randomUUID().slice(0, 8)}`;
    return { username, email: `${username}@example.com`, passwordHash: 'x' };
  };
  /** A read that must see what was just written: from a replica that replayed it, or the primary. */
  const fresh = async (group = 'us-east') => router.read(group, { consistencyToken: await router.consistencyToken(group) });

  beforeAll(async () => {
    topology = testTopology();
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot({ topology }), RouterModule] }).compile();
    app = configureApp(moduleRef.createNestApplication({ logger: ['error'] }));
    await app.init();
    router = app.get(ConnectionRouterService);
    registry = app.get(EndpointRegistry);
    monitor = app.get(DatabaseHealthMonitorService);
    await eventually(async () => (await monitor.runRound(), allEndpoints(topology).every((e) => monitor.health(e.id)?.isHealthy)), 30_000, 250);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('sends the findUnique calls of one tick to one replica, where Prisma batches them into a few queries', async () => {
    const users = await Promise.all(Array.from({ length: 4 }, (_, i) => router.write('us-east').user.create({ data: newUser(`batch${i}`) })));
    const reader = await fresh();
    const replicas = topology.groups.find((g) => g.name === 'us-east')!.replicas.map((r) => r.id);
    const checkouts = new Map<string, number>();
    const counters = replicas.map((id) => {
      const pool = registry.get(id).pool;
      const count = () => checkouts.set(id, (checkouts.get(id) ?? 0) + 1);
      pool.on('acquire', count);
      return () => pool.off('acquire', count);
    });
    router.resetRoutingMetrics();
    const names = Array.from({ length: 32 }, (_, i) => users[i % users.length].username);
    const found = await Promise.all(names.map((username) => reader.user.findUnique({ where: { username } })));
    counters.forEach((stop) => stop());

    expect(found.map((u) => u?.username)).toEqual(names);
    const byEndpoint = router.routingMetrics().queriesRouted.byEndpoint;
    const served = Object.entries(byEndpoint).filter(([, n]) => n > 0);
    expect(served).toHaveLength(1);
    expect(served[0][1]).toBe(32);
    // Unbatched, 32 queries check out a connection 32 times; batched, Prisma sends one query for the lot.
    expect(checkouts.get(served[0][0]) ?? 0).toBeLessThanOrEqual(4);
  });

  it('still spreads calls made in different ticks over the replicas', async () => {
    router.resetRoutingMetrics();
    for (let i = 0; i < 200; i++) await router.read('us-east').user.count();
    const byEndpoint = router.routingMetrics().queriesRouted.byEndpoint;
    expect(byEndpoint['us-east-primary']).toBe(0);
    expect(byEndpoint['us-east-replica-1']).toBeGreaterThan(0);
    expect(byEndpoint['us-east-replica-2']).toBeGreaterThan(0);
  });

  it('follows relations with the fluent API, on a replica', async () => {
    const user = await router.write('us-east').user.create({ data: { ...newUser('fluent'), posts: { create: [{ content: 'one' }, { content: 'two' }] } } });
    router.resetRoutingMetrics();
    const reader = await fresh();
    const posts = await reader.user.findUnique({ where: { id: user.id } }).posts({ orderBy: { content: 'asc' } });
    expect(posts?.map((p) => p.content)).toEqual(['one', 'two']);
    const author = await reader.post.findFirst({ where: { userId: user.id } }).user();
    expect(author?.username).toBe(user.username);
    const metrics = router.routingMetrics().queriesRouted;
    expect(metrics.byKind.read).toBe(2);
    expect(metrics.byKind.write).toBe(0);
  });

  it('runs a batch $transaction on the primary, all or nothing, whichever kind of client it is called on', async () => {
    const a = newUser('txa');
    const b = newUser('txb');
    router.resetRoutingMetrics();
    const reader = router.read('us-east');
    const [created, post] = await reader.$transaction([
      reader.user.create({ data: a }),
      reader.post.count(),
    ]);
    expect(created.username).toBe(a.username);
    expect(typeof post).toBe('number');
    expect(router.routingMetrics().queriesRouted.byKind.transactional).toBe(1);

    const writer = router.write('us-east');
    await expect(writer.$transaction([writer.user.create({ data: b }), writer.user.create({ data: a })])).rejects.toMatchObject({ code: 'P2002' });
    expect(await writer.user.findUnique({ where: { username: b.username } })).toBeNull();
  });

  it('runs interactive transactions on the primary and rolls them back on a throw', async () => {
    const c = newUser('itx');
    await expect(
      router.read('us-east').$transaction(async (tx) => {
        await tx.user.create({ data: c });
        expect(await tx.user.count({ where: { username: c.username } })).toBe(1);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await router.write('us-east').user.findUnique({ where: { username: c.username } })).toBeNull();
    const id = await router.transaction('us-east', async (tx) => (await tx.user.create({ data: c })).id);
    expect((await router.write('us-east').user.findUnique({ where: { id } }))?.username).toBe(c.username);
  });

  it('runs tagged $queryRaw on a replica and $executeRaw on the primary, with typed rows', async () => {
    const user = await router.write('us-east').user.create({ data: newUser('raw') });
    const changed = await router.write('us-east').$executeRaw`UPDATE users SET email = ${'raw@example.org'} WHERE id = ${user.id}::uuid`;
    expect(changed).toBe(1);
    const rows = await (await fresh()).$queryRaw<{ email: string; recovery: boolean }[]>`SELECT email, pg_is_in_recovery() AS recovery FROM users WHERE id = ${user.id}::uuid`;
    expect(rows).toEqual([{ email: 'raw@example.org', recovery: expect.any(Boolean) }]);
  });

  it('types results as the schema says (checked at compile time)', async () => {
    const user = await router.write('us-east').user.create({ data: newUser('typed') });
    const withPosts = await router.write('us-east').user.findUnique({ where: { id: user.id }, include: { posts: true } });
    const contents: string[] | undefined = withPosts?.posts.map((p) => p.content);
    const createdAt: Date | undefined = withPosts?.createdAt;
    // @ts-expect-error: a User has no `title`
    expect(withPosts?.title).toBeUndefined();
    const picked = await router.write('us-east').user.findUnique({ where: { id: user.id }, select: { username: true } });
    // @ts-expect-error: only `username` was selected
    expect(picked?.email).toBeUndefined();
    expect(contents).toEqual([]);
    expect(createdAt).toBeInstanceOf(Date);
  });
});
