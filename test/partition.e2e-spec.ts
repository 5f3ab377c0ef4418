// One-sided and total network partitions between app instances and a primary, cut by the fault proxy (a real
// TCP proxy in front of every server of a small topology of this suite's own): three instances share Redis;
// a primary is declared down only when a majority of them see it down.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { Topology } from '../libs/regional-db/src/config/topology.types';
import { DatabaseHealthMonitorService } from '../libs/regional-db/src/health/database-health-monitor.service';
import { TopologyStateService } from '../libs/regional-db/src/topology-state/topology-state.service';
import { FaultProxy } from '../tools/topology/fault-proxy';
import * as local from '../tools/topology/local-topology';
import { bearer, createTestApp, eventually } from './support/app';
import { failoverTopologyOptions, freshFailoverTopology, queryServer, WriteLoad } from './support/failover-topology';
import { startProxyFor, throughProxy } from './support/proxied-topology';
import { closeApp, suitePrefix } from './support/suite';

const PRIMARY = 'us-east-primary';
const REPLICAS = ['us-east-replica-1', 'us-east-replica-2'];
const INSTANCES = ['part-a', 'part-b', 'part-c'];

describe('partitions between app instances and a primary (quorum before promotion)', () => {
  const options = failoverTopologyOptions([], { name: 'partition-topology', portOffset: 100 });
  const prefix = suitePrefix('partition');
  let direct: Topology;
  let proxy: FaultProxy;
  const apps = new Map<string, INestApplication>();

  const promotedServers = async () => {
    const roles = await Promise.all(REPLICAS.map(async (id) => {
      const url = direct.groups[0].replicas.find((r) => r.id === id)!.url;
      return (await queryServer<{ r: boolean }>(url, 'SELECT pg_is_in_recovery() AS r'))[0].r ? null : id;
    }));
    return roles.filter((id): id is string => id !== null);
  };

  beforeAll(async () => {
    direct = await freshFailoverTopology(options);
    proxy = await startProxyFor(direct, false);
    const topology = throughProxy(direct, proxy);
    process.env.REDIS_PREFIX = prefix;
    for (const id of INSTANCES) {
      process.env.INSTANCE_ID = id;
      apps.set(id, await createTestApp({ topology }));
    }
    delete process.env.INSTANCE_ID;
  }, 120_000);

  afterAll(async () => {
    for (const app of apps.values()) await closeApp(app, prefix);
    await proxy?.stop();
    await local.down(options);
  });

  it('one instance cut from the primary promotes nothing, and the others keep writing', async () => {
    const [a, b, c] = INSTANCES.map((id) => apps.get(id)!);
    const loads = [new WriteLoad(b), new WriteLoad(c)];
    await eventually(async () => loads.every((l) => l.acknowledged.length > 10), 30_000);

    proxy.setRule({ server: PRIMARY, client: 'part-a', fault: { mode: 'blackhole' } });
    await eventually(async () => !a.get(DatabaseHealthMonitorService).health(PRIMARY).isHealthy, 30_000);
    // Well past detection and a few quorum tallies of instance a: nothing happens.
    const before = loads.map((l) => l.acknowledged.length);
    await new Promise((r) => setTimeout(r, 6_000));
    await Promise.all(loads.map((l) => l.stop()));

    expect(await promotedServers()).toEqual([]);
    for (const app of [a, b, c]) expect(app.get(TopologyStateService).primaryOf('us-east')).toBe(PRIMARY);
    loads.forEach((l, i) => {
      expect(l.failures).toEqual([]);
      expect(l.acknowledged.length).toBeGreaterThan(before[i]);
    });
    proxy.clearRules();
    await eventually(async () => a.get(DatabaseHealthMonitorService).health(PRIMARY).isHealthy, 30_000);
  });

  it('every instance cut from the primary: exactly one promotion; healed, the old primary is fenced', async () => {
    const [a, b, c] = INSTANCES.map((id) => apps.get(id)!);
    proxy.setRule({ server: PRIMARY, client: '*', fault: { mode: 'blackhole' } });
    const promoted = await eventually(async () => {
      const seen = [a, b, c].map((x) => x.get(TopologyStateService).primaryOf('us-east'));
      return seen.every((id) => id !== PRIMARY && id === seen[0]) && seen[0];
    }, 60_000);
    expect(REPLICAS).toContain(promoted);
    expect(await promotedServers()).toEqual([promoted]);

    const history = async () =>
      (await request(a.getHttpServer()).get('/api/database/failover-history?limit=20').set('Authorization', bearer(a, 'viewer'))).body.failovers.filter(
        (f: { outcome: string }) => f.outcome === 'completed',
      );
    await eventually(async () => (await history()).length > 0, 20_000);
    const [record] = await history();
    expect(await history()).toHaveLength(1);
    expect(record.quorum.needed).toBe(2);
    expect(record.quorum.votes.length).toBeGreaterThanOrEqual(2);

    // The partition heals: the old primary answers again, writable, and is fenced at once.
    proxy.clearRules();
    const old = direct.groups[0].primary;
    await eventually(
      () => queryServer(old.url, 'SELECT 1').then(() => false, (error: Error) => /not currently accepting connections/.test(error.message)),
      30_000,
    );
    expect(await promotedServers()).toEqual([promoted]);
  });
});
