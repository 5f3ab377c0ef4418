// Data homed in a healthy region stays readable while another region is down: with every us-east server (the
// default region, and the global primary) stopped, an anonymous caller still reads a eu-west post by id.
// Every server is started again, and seen healthy, whatever happens.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Topology } from '../src/config/topology.types';
import { allEndpoints } from '../src/config/topology.types';
import { DatabaseHealthMonitorService } from '../src/health/database-health-monitor.service';
import { HealthModule } from '../src/health/health.module';
import { RedisService } from '../src/redis/redis.service';
import * as local from '../tools/topology/local-topology';
import { createTestApp, eventually } from './support/app';
import { testTopology, topologyOptions } from './support/test-topology';

const PASSWORD = 'correct-horse-7';
const settings: Record<string, string> = {
  PASSWORD_HASH_COST: '4',
  REDIS_PREFIX: `${process.env.REDIS_PREFIX ?? 'rdr:'}home-region-e2e-${randomUUID().slice(0, 8)}:`,
  // The stopped servers must stay what they were: this suite is about reads elsewhere, not about failover.
  FAILOVER_AUTOMATIC: 'false',
};

describe('reads of data homed in a healthy region while the default region is down (real topology)', () => {
  const saved: Record<string, string | undefined> = {};
  let topology: Topology;
  let app: INestApplication;
  let http: ReturnType<INestApplication['getHttpServer']>;
  let monitor: DatabaseHealthMonitorService;

  beforeAll(async () => {
    for (const [name, value] of Object.entries(settings)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
    topology = testTopology();
    app = await createTestApp({ topology });
    http = app.getHttpServer();
    monitor = app.select(HealthModule).get(DatabaseHealthMonitorService, { strict: true });
  });

  afterAll(async () => {
    const redis = app?.get(RedisService);
    const keys = (await redis?.client?.keys(`${settings.REDIS_PREFIX}*`)) ?? [];
    if (keys.length) await redis!.client!.del(...keys);
    await app?.close();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('answers GET /api/posts/:id of a eu-west post to an anonymous caller while us-east is stopped', async () => {
    expect(topology.defaultRegion).toBe('us-east');
    const handle = `home_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    await request(http).post('/api/users').set('X-Region', 'eu-west').send({ handle, email: `${handle}@example.com`, password: PASSWORD }).expect(201);
    const { body } = await request(http).post('/api/auth/login').send({ handle, password: PASSWORD }).expect(200);
    const post = await request(http).post('/api/posts').set('Authorization', `Bearer ${body.accessToken}`).send({ content: 'homed in eu-west' }).expect(201);
    // Readable from eu-west's replica (no consistency token is sent below).
    await eventually(async () => (await request(http).get(`/api/posts/${post.body.id}`).set('X-Region', 'eu-west')).status === 200);

    const usEast = allEndpoints(topology).filter((e) => e.region === 'us-east').map((e) => e.id);
    try {
      await local.stopRegion(topologyOptions, 'us-east');
      // At once (us-east still believed up: its reads fail on refused connections)...
      const early = await request(http).get(`/api/posts/${post.body.id}`);
      expect(early.status).toBe(200);
      expect(early.body).toMatchObject({ id: post.body.id, region: 'eu-west', handle });
      // ...and once us-east is known down.
      await eventually(async () => {
        await monitor.runRound();
        return usEast.every((id) => !monitor.health(id).isHealthy);
      }, 30_000, 200);
      const later = await request(http).get(`/api/posts/${post.body.id}`);
      expect(later.status).toBe(200);
      expect(later.body.region).toBe('eu-west');
      // A post nobody has is still not claimed "not found" while a region that could hold it is down.
      expect((await request(http).get(`/api/posts/${randomUUID()}`)).status).toBe(503);
    } finally {
      await local.startRegion(topologyOptions, 'us-east');
      await eventually(async () => {
        await monitor.runRound();
        return usEast.every((id) => monitor.health(id).isHealthy);
      }, 30_000, 500);
    }
  });
});
