// Issue 12, item 3: with its Redis stopped, an instance stays an operator's window (every admin GET, the
// metrics, the probes and the dashboard data answer 2xx from its own view, marked coordination unavailable),
// the critical "coordination unavailable" alert reaches the webhook at once, and once Redis is back the alert
// held meanwhile is stored there.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { INestApplication } from '@nestjs/common';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import request from 'supertest';
import type { AlertEvent } from '../libs/regional-db/src/alerts/alert.types';
import { FailoverHistory } from '../libs/regional-db/src/failover/failover-history';
import { RedisService } from '../libs/regional-db/src/redis/redis.service';
import type { FailoverRecord } from '../libs/regional-db/src/failover/failover-record';
import { bearer, createTestApp, eventually } from './support/app';
import { ownRedisServer } from './support/redis-server';

// This suite's own Redis, so that it can be stopped under the app.
const REDIS_PORT = Number(process.env.TEST_TOPOLOGY_PORT_BASE ?? 26000) + 380;
const WEBHOOK_PORT = REDIS_PORT + 1;
const { start: startRedis, stop: stopRedis, url: redisUrl } = ownRedisServer(REDIS_PORT, 'outage');

const ADMIN_GETS = [
  '/api/database/status',
  '/api/database/export',
  '/api/database/health',
  '/api/database/alerts',
  '/api/database/metrics',
  '/api/database/performance',
  '/api/database/failover-history',
  '/api/database/connections',
  '/api/database/audit',
];
const COORDINATION_ALERT = 'coordination_unavailable:coordination';
const AT = new Date().toISOString();
const heldRecord: FailoverRecord = {
  id: `held-${Date.now()}`,
  group: 'us-east',
  trigger: 'automatic',
  actor: 'system',
  planned: false,
  from: 'us-east-primary',
  to: 'us-east-replica-1',
  epoch: 2,
  outcome: 'completed',
  reason: 'recorded while Redis is down',
  startedAt: AT,
  finishedAt: AT,
  durations: { detectionMs: 1, selectionMs: 1, promotionMs: 1, rerouteMs: 1, verifyMs: 1, repointMs: 1, totalMs: 6 },
  lagAtPromotionBytes: 0,
  repointed: [],
  fenced: null,
  quorum: null,
};

describe('Redis stopped: degraded, not blind', () => {
  const prefix = `outage-${Date.now()}:`;
  const saved = { url: process.env.REDIS_URL, prefix: process.env.REDIS_PREFIX, webhook: process.env.ALERT_WEBHOOK_URL };
  const received: AlertEvent[] = [];
  let webhook: Server;
  let app: INestApplication;
  let reader: Redis;
  const get = (path: string) => request(app.getHttpServer()).get(path).set('Authorization', bearer(app, 'viewer'));

  beforeAll(async () => {
    webhook = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push(JSON.parse(body) as AlertEvent);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => webhook.listen(WEBHOOK_PORT, '127.0.0.1', resolve));
    startRedis();
    Object.assign(process.env, {
      REDIS_URL: redisUrl,
      REDIS_PREFIX: prefix,
      ALERT_WEBHOOK_URL: `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/hook`,
    });
    app = await createTestApp();
    reader = new Redis(REDIS_PORT, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => 200 });
    reader.on('error', () => undefined);
  });

  afterAll(async () => {
    await app?.close();
    reader?.disconnect();
    stopRedis();
    await new Promise((resolve) => webhook?.close(resolve));
    for (const [key, value] of Object.entries({ REDIS_URL: saved.url, REDIS_PREFIX: saved.prefix, ALERT_WEBHOOK_URL: saved.webhook })) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('answers with coordination available while Redis runs', async () => {
    const status = await get('/api/database/status').expect(200);
    expect(status.body.coordination).toBe('available');
    expect((await request(app.getHttpServer()).get('/metrics').expect(200)).text).toMatch(/^db_coordination_available 1$/m);
  });

  it('keeps every read route answering 2xx from its own view while Redis is stopped, and sends the alert at once', async () => {
    stopRedis();
    await eventually(async () => (await get('/api/database/status')).body.coordination === 'unavailable', 15_000);

    for (const path of ADMIN_GETS) {
      const response = await get(path);
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
    }
    for (const path of ['/api/database/status', '/api/database/health', '/api/database/alerts', '/api/database/failover-history']) {
      expect({ path, coordination: (await get(path)).body.coordination }).toEqual({ path, coordination: 'unavailable' });
    }
    const status = (await get('/api/database/status')).body;
    expect(status.groups.length).toBeGreaterThan(0);
    expect(status.alerts.map((a: { key: string }) => a.key)).toContain(COORDINATION_ALERT);

    const metrics = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/^db_coordination_available 0$/m);
    expect(metrics.text).toMatch(/^db_alerts_active\{type="coordination_unavailable",severity="critical"\} 1$/m);

    expect((await request(app.getHttpServer()).get('/health/live')).status).toBe(200);
    const ready = await request(app.getHttpServer()).get('/health/ready');
    expect(ready.status).toBeLessThan(300);
    expect(ready.body.coordination).toBe('unavailable');
    expect((await request(app.getHttpServer()).get('/dashboard')).status).toBe(200);

    const alerts = (await get('/api/database/alerts')).body;
    // Other alerts may be active beside it (a busy machine can time a probe out): this one must be there.
    expect(alerts.active).toContainEqual(expect.objectContaining({ key: COORDINATION_ALERT, severity: 'critical', endpointId: null, group: null }));

    // The store is what is down: the webhook hears of it anyway.
    const sent = await eventually(async () => received.find((e) => e.action === 'raised' && e.alert.key === COORDINATION_ALERT), 10_000);
    expect(sent.alert.message).toMatch(/^Coordination unavailable: Redis cannot be reached/);
  });

  it('keeps a failover record made while Redis is down, and lists it meanwhile', async () => {
    const history = app.get(FailoverHistory);
    await history.record(heldRecord);
    expect((await history.list(10)).map((r) => r.id)).toContain(heldRecord.id);
  });

  it('starts another instance while Redis is still down: it answers at once, from its own view', async () => {
    const another = await createTestApp();
    try {
      const status = await request(another.getHttpServer()).get('/api/database/status').set('Authorization', bearer(another, 'viewer')).expect(200);
      expect(status.body.coordination).toBe('unavailable');
    } finally {
      await another.close();
    }
  });

  it('stores the held alert in Redis once it is back, and says coordination is available again', async () => {
    startRedis();
    const stored = await eventually(async () => {
      if (reader.status !== 'ready') await reader.connect().catch(() => undefined);
      const history = (await reader.lrange(`${prefix}alerts:history`, 0, -1)).map((json) => JSON.parse(json) as AlertEvent);
      const raised = history.find((e) => e.action === 'raised' && e.alert.key === COORDINATION_ALERT);
      const resolved = history.find((e) => e.action === 'resolved' && e.alert.key === COORDINATION_ALERT);
      return raised && resolved ? { raised, resolved } : null;
    }, 15_000);
    expect(stored.raised.alert).toMatchObject({ severity: 'critical', type: 'coordination_unavailable' });
    expect(stored.resolved.alert.id).toBe(stored.raised.alert.id);
    expect(await reader.hget(`${prefix}alerts:active`, COORDINATION_ALERT)).toBeNull();
    // The failover record held meanwhile is stored, once.
    const records = await eventually(async () => {
      const rows = (await reader.lrange(`${prefix}failover-history`, 0, -1)).map((json) => (JSON.parse(json) as FailoverRecord).id);
      return rows.includes(heldRecord.id) ? rows : null;
    }, 15_000);
    expect(records.filter((id) => id === heldRecord.id)).toHaveLength(1);

    const status = (await get('/api/database/status').expect(200)).body;
    expect(status.coordination).toBe('available');
    expect(status.alerts.map((a: { key: string }) => a.key)).not.toContain(COORDINATION_ALERT);
    expect((await request(app.getHttpServer()).get('/metrics').expect(200)).text).toMatch(/^db_coordination_available 1$/m);
  });

  it('connects again a Redis client that gave up (ioredis leaves an ended client ended)', async () => {
    const redis = app.get(RedisService);
    const ended = new Promise((resolve) => redis.client!.once('end', resolve));
    redis.client!.disconnect();
    await ended;
    await eventually(async () => redis.client!.status === 'ready' && redis.coordination === 'available', 15_000);
    expect(await redis.client!.ping()).toBe('PONG');
  });
});
