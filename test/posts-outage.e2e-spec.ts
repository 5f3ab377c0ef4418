// A regional outage on the real topology: asia-pacific's primary is stopped. Its users' writes answer the
// localized-outage 503 while their reads go on from the replica, a registration there releases its global
// claim, and us-east users notice nothing. The primary is started again, and seen healthy, whatever happens.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import type { Topology } from '../libs/regional-db/src/config/topology.types';
import { DatabaseHealthMonitorService } from '../libs/regional-db/src/health/database-health-monitor.service';
import { HealthModule } from '../libs/regional-db/src/health/health.module';
import { RedisService } from '../libs/regional-db/src/redis/redis.service';
import { createTestApp, eventually } from './support/app';
import { chaos, testTopology } from './support/test-topology';

const settings: Record<string, string> = {
  PASSWORD_HASH_COST: '4',
  REDIS_PREFIX: `${process.env.REDIS_PREFIX ?? 'rdr:'}posts-outage-e2e-${randomUUID().slice(0, 8)}:`,
  // The stopped primary must stay the primary: this suite is about the outage, not about failover.
  FAILOVER_AUTOMATIC: 'false',
};
const PASSWORD = 'correct-horse-7';
const OUTAGE = {
  statusCode: 503,
  error: 'Service Unavailable',
  message: 'Localized outage: region asia-pacific has no writable primary; reads continue from replicas',
};

describe('a localized outage: asia-pacific without its primary (real topology)', () => {
  const saved: Record<string, string | undefined> = {};
  let topology: Topology;
  let app: INestApplication;
  let http: ReturnType<INestApplication['getHttpServer']>;
  let globalSql: Client;

  const unique = (prefix: string) => `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;

  async function user(region: string) {
    const handle = unique(region.replace('-', '').slice(0, 6));
    await request(http).post('/api/users').set('X-Region', region).send({ handle, email: `${handle}@example.com`, password: PASSWORD }).expect(201);
    const { body } = await request(http).post('/api/auth/login').send({ handle, password: PASSWORD }).expect(200);
    return { handle, auth: { Authorization: `Bearer ${body.accessToken}` } };
  }

  beforeAll(async () => {
    for (const [name, value] of Object.entries(settings)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
    topology = testTopology();
    globalSql = new Client({ connectionString: topology.global!.primary.url });
    globalSql.on('error', () => undefined); // a server ending the session must not kill the process
    await globalSql.connect();
    app = await createTestApp({ topology });
    http = app.getHttpServer();
  });

  afterAll(async () => {
    const redis = app?.get(RedisService);
    const keys = (await redis?.client?.keys(`${settings.REDIS_PREFIX}*`)) ?? [];
    if (keys.length) await redis!.client!.del(...keys);
    await app?.close();
    await globalSql?.end();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('answers asia-pacific writes with 503, keeps their reads, and leaves us-east alone', async () => {
    const asia = await user('asia-pacific');
    const us = await user('us-east');
    const before = await request(http).post('/api/posts').set(asia.auth).send({ content: 'before the outage' }).expect(201);
    const primary = topology.groups.find((g) => g.name === 'asia-pacific')!.primary.id;
    const replica = topology.groups.find((g) => g.name === 'asia-pacific')!.replicas[0].url;
    // Reads must not need the primary: wait until the replica has the post before stopping it.
    const replicaSql = new Client({ connectionString: replica });
    replicaSql.on('error', () => undefined); // a server ending the session must not kill the process
    await replicaSql.connect();
    await eventually(async () => (await replicaSql.query('SELECT 1 FROM posts WHERE id = $1', [before.body.id])).rowCount === 1).finally(() => replicaSql.end());

    const monitor = app.select(HealthModule).get(DatabaseHealthMonitorService, { strict: true });
    try {
      await chaos.stop(primary);

      const write = await request(http).post('/api/posts').set(asia.auth).send({ content: 'during the outage' }).expect(503);
      expect(write.body).toEqual(OUTAGE);

      const mine = await request(http).get(`/api/users/${asia.handle}/posts`).set(asia.auth).expect(200);
      expect(mine.body.map((p: { id: string }) => p.id)).toEqual([before.body.id]);
      expect((await request(http).get(`/api/posts/${before.body.id}`).set(asia.auth).expect(200)).body.region).toBe('asia-pacific');
      expect((await request(http).get('/api/feed').set(asia.auth).expect(200)).body.map((p: { id: string }) => p.id)).toContain(before.body.id);
      // Logging in reads the home region too: still possible.
      await request(http).post('/api/auth/login').send({ handle: asia.handle, password: PASSWORD }).expect(200);

      // A registration there fails the same way and releases its global claim.
      const newcomer = unique('newasia');
      const registration = await request(http).post('/api/users').set('X-Region', 'asia-pacific').send({ handle: newcomer, email: `${newcomer}@example.com`, password: PASSWORD }).expect(503);
      expect(registration.body).toEqual(OUTAGE);
      expect((await globalSql.query('SELECT 1 FROM directory WHERE handle = $1', [newcomer])).rowCount).toBe(0);

      const usPost = await request(http).post('/api/posts').set(us.auth).send({ content: 'business as usual' }).expect(201);
      expect(usPost.body.region).toBe('us-east');
      await request(http).get(`/api/users/${us.handle}/posts`).set(us.auth).expect(200);
    } finally {
      await chaos.start(primary);
      // Later suites start from a topology the health monitor sees whole again.
      await eventually(async () => {
        await monitor.probe(primary);
        return monitor.health(primary).isHealthy;
      }, 30_000, 200);
    }
    await request(http).post('/api/posts').set(asia.auth).send({ content: 'after the outage' }).expect(201);
  });
});
