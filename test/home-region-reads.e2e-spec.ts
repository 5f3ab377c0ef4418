// Data homed in a healthy region stays readable while another region is down: with every us-east server (the
// default region, and the global primary) stopped, an anonymous caller still reads a eu-west post by id.
// Every server is started again, and seen healthy, whatever happens.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { allEndpoints } from '../libs/regional-db/src/config/topology.types';
import { DatabaseHealthMonitorService } from '../libs/regional-db/src/health/database-health-monitor.service';
import { HealthModule } from '../libs/regional-db/src/health/health.module';
import { UserDirectory } from '../src/users/user-directory.service';
import * as local from '../tools/topology/local-topology';
import { createTestApp, eventually } from './support/app';
import { closeApp, everyEndpointHealthy, PASSWORD, signUp, suitePrefix, useEnv } from './support/suite';
import { testTopology, topologyOptions } from './support/test-topology';

const REDIS_PREFIX = suitePrefix('home-region-e2e');

describe('reads of data homed in a healthy region while the default region is down (real topology)', () => {
  // The stopped servers must stay what they were: this suite is about reads elsewhere, not about failover.
  useEnv({ PASSWORD_HASH_COST: '4', REDIS_PREFIX, FAILOVER_AUTOMATIC: 'false' });
  const topology = testTopology();
  const usEast = allEndpoints(topology).filter((e) => e.region === 'us-east').map((e) => e.id);
  let app: INestApplication;
  let http: ReturnType<INestApplication['getHttpServer']>;
  let monitor: DatabaseHealthMonitorService;
  const usEastIs = (healthy: boolean) =>
    eventually(async () => {
      await monitor.runRound();
      return usEast.every((id) => monitor.health(id).isHealthy === healthy);
    }, 30_000, 300);

  beforeAll(async () => {
    app = await createTestApp({ topology });
    http = app.getHttpServer();
    monitor = app.select(HealthModule).get(DatabaseHealthMonitorService, { strict: true });
    await everyEndpointHealthy(monitor, topology);
  }, 90_000);

  afterAll(() => closeApp(app, REDIS_PREFIX));

  it('answers a eu-west post, its author\'s posts and login to callers from the default region while us-east is stopped', async () => {
    expect(topology.defaultRegion).toBe('us-east');
    const { handle, auth } = await signUp(http, 'eu-west');
    const post = await request(http).post('/api/posts').set(auth).send({ content: 'homed in eu-west' }).expect(201);
    // Readable from eu-west's replica (no consistency token is sent below).
    await eventually(async () => (await request(http).get(`/api/posts/${post.body.id}`).set('X-Region', 'eu-west')).status === 200);

    try {
      await local.stopRegion(topologyOptions, 'us-east');
      // At once (us-east still believed up: its reads fail on refused connections)...
      const early = await request(http).get(`/api/posts/${post.body.id}`);
      expect(early.status).toBe(200);
      expect(early.body).toMatchObject({ id: post.body.id, region: 'eu-west', handle });
      // ...and once us-east is known down.
      await usEastIs(false);
      const later = await request(http).get(`/api/posts/${post.body.id}`);
      expect(later.status).toBe(200);
      expect(later.body.region).toBe('eu-west');
      // The author's posts and logging in: where the author lives comes from the global directory's replicas
      // (the cached answer dropped first), the rows from eu-west.
      await app.get(UserDirectory).forget(handle);
      const mine = await request(http).get(`/api/users/${handle}/posts`);
      expect(mine.status).toBe(200);
      expect(mine.body.map((p: { id: string }) => p.id)).toEqual([post.body.id]);
      await app.get(UserDirectory).forget(handle);
      await request(http).post('/api/auth/login').send({ handle, password: PASSWORD }).expect(200);
      // A post nobody has is still not claimed "not found" while a region that could hold it is down.
      expect((await request(http).get(`/api/posts/${randomUUID()}`)).status).toBe(503);
    } finally {
      await local.startRegion(topologyOptions, 'us-east');
      await usEastIs(true);
    }
  });
});
