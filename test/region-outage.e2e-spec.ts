import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { INestApplication, ServiceUnavailableException } from '@nestjs/common';
import request from 'supertest';
import { RegionalFailoverService } from '../libs/regional-db/src/failover/regional-failover.service';
import { DatabaseHealthMonitorService } from '../libs/regional-db/src/health/database-health-monitor.service';
import { ConnectionRouterService } from '../libs/regional-db/src/router/connection-router.service';
import { TopologyStateService } from '../libs/regional-db/src/topology-state/topology-state.service';
import * as local from '../tools/topology/local-topology';
import { bearer, createTestApp, eventually } from './support/app';
import { topologyOptions } from './support/test-topology';

describe('a whole region down', () => {
  let app: INestApplication;
  const region = 'asia-pacific';
  const down = ['asia-pacific-primary', 'asia-pacific-replica-1'];

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await local.startRegion(topologyOptions, region);
    const monitor = app.get(DatabaseHealthMonitorService);
    // Leave the shared topology as found: every server back and seen healthy.
    await eventually(async () => {
      await monitor.runRound();
      return [...down, 'global-replica-2'].every((id) => monitor.health(id).isHealthy);
    }, 30_000, 500);
    await app.close();
  });

  it('fails its reads, writes and readiness cleanly, promotes nothing, and leaves other regions alone', async () => {
    const router = app.get(ConnectionRouterService);
    const monitor = app.get(DatabaseHealthMonitorService);
    await local.stopRegion(topologyOptions, region);
    await eventually(async () => {
      await monitor.runRound();
      return down.every((id) => !monitor.health(id).isHealthy);
    }, 20_000, 200);

    // The documented errors: 503 naming the region, for reads (no replica, no primary) and writes.
    await expect(router.read(region).user.count()).rejects.toThrow(ServiceUnavailableException);
    await expect(router.read(region).user.count()).rejects.toThrow(/asia-pacific/);
    await expect(router.write(region).user.count()).rejects.toThrow(/asia-pacific/);

    const http = request(app.getHttpServer());
    // The instance still serves the other regions: ready, with the region reported lost.
    const ready = await http.get('/health/ready').expect(200);
    expect(ready.body.groups[region]).toMatchObject({ status: 'lost', reason: 'asia-pacific-primary is not healthy' });

    // Nothing to promote: said loudly, routing state unchanged.
    const failovers = app.get(RegionalFailoverService);
    const failed = await eventually(async () => (await failovers.history(10)).find((f) => f.group === region && f.outcome === 'failed'), 20_000);
    expect(failed.reason).toContain('no replica can be promoted');
    expect(app.get(TopologyStateService).primaryOf(region)).toBe('asia-pacific-primary');
    const alerts = await http.get('/api/database/alerts?limit=50').set('Authorization', bearer(app, 'viewer')).expect(200);
    expect(alerts.body.active.map((a: { key: string }) => a.key)).toEqual(expect.arrayContaining(['failover_failed:asia-pacific', 'endpoint_down:asia-pacific-primary']));

    // Other regions: reads and writes as usual.
    for (const other of ['us-east', 'eu-west']) {
      expect(await router.read(other).user.count()).toBeGreaterThanOrEqual(0);
      const user = await router.write(other).user.create({ data: { username: `outage-${other}-${Date.now()}`, email: 'o@x', passwordHash: 'x' } });
      await router.write(other).user.delete({ where: { id: user.id } });
    }
  });
});
