// One region's outage stays that region's, through the deployed nginx: real nginx with the REAL
// deploy/nginx/nginx.conf in front of three app instances, the whole asia-pacific region stopped. For 30 s
// us-east and eu-west get no error at all, asia-pacific gets the app's own 503 ("Localized outage"), never
// nginx's 502. The region is started again, and seen healthy by every instance, whatever happens.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { INestApplication, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { DatabaseHealthMonitorService } from '../libs/regional-db/src/health/database-health-monitor.service';
import { RedisService } from '../libs/regional-db/src/redis/redis.service';
import * as local from '../tools/topology/local-topology';
import { createTestApp, eventually } from './support/app';
import { RunningNginx, startNginx } from './support/nginx';
import { testTopology, topologyOptions } from './support/test-topology';

const REGION = 'asia-pacific';
const OTHERS = ['us-east', 'eu-west'];
const DURATION_MS = 30_000;
const settings: Record<string, string> = {
  PASSWORD_HASH_COST: '4',
  REDIS_PREFIX: `${process.env.REDIS_PREFIX ?? 'rdr:'}nginx-containment-e2e-${randomUUID().slice(0, 8)}:`,
  // The outage is the subject, not failover: nothing to promote in a region wholly down anyway.
  FAILOVER_AUTOMATIC: 'false',
  // pino logs every 503 of the outage at error: hundreds of expected lines, nothing to learn from them here.
  LOG_LEVEL: 'fatal',
};
const OUTAGE = `Localized outage: region ${REGION} has no writable primary and no replica serving reads`;

interface Reply {
  region: string;
  kind: string;
  status: number;
  body: string;
}

/** How many replies of each kind and status: `{ 'read 200': 812, 'write 201': 790 }`. */
function tally(replies: Reply[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of replies) counts[`${r.kind} ${r.status}`] = (counts[`${r.kind} ${r.status}`] ?? 0) + 1;
  return counts;
}

describe('nginx contains a regional outage (real nginx, three app instances, a region stopped)', () => {
  const saved: Record<string, string | undefined> = {};
  const apps: INestApplication[] = [];
  let nginx: RunningNginx | undefined;
  let regionStopped = false;
  // Servers located in the region: its own and the global replica there.
  let located: string[] = [];

  const monitors = () => apps.map((app) => app.get(DatabaseHealthMonitorService));
  /** Every instance probes now and agrees on the servers' health. */
  const everyInstanceSees = (healthy: boolean) =>
    eventually(async () => {
      await Promise.all(monitors().map((m) => m.runRound()));
      return monitors().every((m) => located.every((id) => m.health(id).isHealthy === healthy));
    }, 30_000, 200);

  beforeAll(async () => {
    for (const [name, value] of Object.entries(settings)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
    const topology = testTopology();
    located = [...topology.groups, ...(topology.global ? [topology.global] : [])]
      .flatMap((g) => [g.primary, ...g.replicas])
      .filter((e) => e.region === REGION)
      .map((e) => e.id);
    const regions = topology.groups.map((g) => g.name);
    for (let i = 0; i < regions.length; i++) apps.push(await createTestApp({ topology }));
    const upstreams = Object.fromEntries(regions.map((region, i) => [region, (apps[i].getHttpServer().address() as AddressInfo).port]));
    // Above the topology's ports (26000-26900): a stopped server's port must still be free when it starts again.
    nginx = await startNginx(upstreams, { from: 27700, to: 27799 });
  });

  afterAll(async () => {
    try {
      if (regionStopped) {
        await local.startRegion(topologyOptions, REGION);
        await everyInstanceSees(true);
      }
    } finally {
      await nginx?.stop();
      const redis = apps[0]?.get(RedisService);
      const keys = (await redis?.client?.keys(`${settings.REDIS_PREFIX}*`)) ?? [];
      if (keys.length) await redis!.client!.del(...keys);
      await Promise.all(apps.map((app) => app.close()));
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  async function call(region: string, kind: 'read' | 'write'): Promise<Reply> {
    const handle = `ngx_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const response =
      kind === 'read'
        ? await fetch(`${nginx!.url}/api/feed?limit=5`, { headers: { 'X-Region': region } })
        : await fetch(`${nginx!.url}/api/users`, {
            method: 'POST',
            headers: { 'X-Region': region, 'Content-Type': 'application/json' },
            body: JSON.stringify({ handle, email: `${handle}@example.com`, password: 'correct-horse-7' }),
          });
    return { region, kind, status: response.status, body: await response.text() };
  }

  it('serves the other regions without a single error for 30 s, and answers the stopped one with the app 503, never a 502', async () => {
    // Every region answers through nginx before the outage.
    for (const region of [...OTHERS, REGION]) expect((await call(region, 'read')).status).toBe(200);

    await local.stopRegion(topologyOptions, REGION);
    regionStopped = true;
    await everyInstanceSees(false);

    // The outage's own 503 answers are expected here: keep them out of the test output, nothing else.
    const realWarn = Logger.prototype.warn;
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(function (this: Logger, message: unknown, ...rest: unknown[]) {
      if (typeof message === 'string' && message.includes('answered 503') && message.includes(REGION)) return;
      realWarn.call(this, message, ...rest);
    } as Logger['warn']);

    const replies: Reply[] = [];
    const until = Date.now() + DURATION_MS;
    try {
      // One client per region, each alternating reads and writes as fast as the answers come.
      await Promise.all(
        [...OTHERS, REGION].map(async (region) => {
          for (let i = 0; Date.now() < until; i++) {
            replies.push(await call(region, i % 2 === 0 ? 'read' : 'write'));
          }
        }),
      );
    } finally {
      warn.mockRestore();
    }

    for (const region of OTHERS) {
      const mine = replies.filter((r) => r.region === region);
      expect(tally(mine)).toEqual({ 'read 200': expect.any(Number), 'write 201': expect.any(Number) });
    }
    const stopped = replies.filter((r) => r.region === REGION);
    expect(tally(stopped)).toEqual({ 'read 503': expect.any(Number), 'write 503': expect.any(Number) });
    // The app's own answers (JSON, its error shape), the writes' naming the localized outage.
    for (const reply of stopped) expect(JSON.parse(reply.body)).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
    expect(new Set(stopped.filter((r) => r.kind === 'write').map((r) => JSON.parse(r.body).message))).toEqual(new Set([OUTAGE]));
  });

  it('still treats a dead API server as an upstream failure: its requests go to the others', async () => {
    const dead = apps[2];
    await dead.close();
    apps.splice(2, 1);
    const replies: Reply[] = [];
    for (let i = 0; i < 20; i++) replies.push(await call('us-east', 'read'));
    expect(tally(replies)).toEqual({ 'read 200': 20 });
  });
});
