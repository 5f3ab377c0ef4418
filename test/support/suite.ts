// What the suites that drive the app through HTTP each need: their settings in the environment while their
// apps start, a user of their own, and their Redis keys gone afterwards.
import { afterAll, beforeAll } from '@jest/globals';
import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { allEndpoints, Topology } from '../../libs/regional-db/src/config/topology.types';
import { DatabaseHealthMonitorService } from '../../libs/regional-db/src/health/database-health-monitor.service';
import { RedisService } from '../../libs/regional-db/src/redis/redis.service';
import { eventually } from './app';

/** Sets `settings` before the suite's apps start (they read the environment once) and restores it after. */
export function useEnv(settings: Record<string, string>): void {
  const saved: Record<string, string | undefined> = {};
  beforeAll(() => {
    for (const [name, value] of Object.entries(settings)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
  });
  afterAll(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
}

/** A Redis key prefix of the suite's own, so its keys never meet another suite's. */
export function suitePrefix(suite: string): string {
  return `${process.env.REDIS_PREFIX ?? 'rdr:'}${suite}-${randomUUID().slice(0, 8)}:`;
}

/** Deletes the suite's Redis keys, then closes the app. */
export async function closeApp(app: INestApplication | undefined, prefix: string): Promise<void> {
  const redis = app?.get(RedisService);
  const keys = (await redis?.client?.keys(`${prefix}*`)) ?? [];
  if (keys.length) await redis!.client!.del(...keys);
  await app?.close();
}

/** The password `signUp` gives every user. */
export const PASSWORD = 'correct-horse-7';

/** Registers a user homed in `region` and logs them in: their handle and `Authorization` header. */
export async function signUp(http: Parameters<typeof request>[0], region: string): Promise<{ handle: string; auth: { Authorization: string } }> {
  const handle = `u_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await request(http).post('/api/users').set('X-Region', region).send({ handle, email: `${handle}@example.com`, password: PASSWORD }).expect(201);
  const { body } = await request(http).post('/api/auth/login').send({ handle, password: PASSWORD }).expect(200);
  return { handle, auth: { Authorization: `Bearer ${body.accessToken}` } };
}

/**
 * A settled start: health rounds until every endpoint is seen healthy. On a busy machine the first rounds can
 * time connections out and mark servers down that are fine; a suite about one outage starts from none.
 */
export function everyEndpointHealthy(monitor: DatabaseHealthMonitorService, topology: Topology): Promise<unknown> {
  return eventually(async () => {
    await monitor.runRound();
    return allEndpoints(topology).every((e) => monitor.health(e.id).isHealthy);
  }, 60_000, 300);
}
