import { afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { parseTopology } from '../config/topology.parser';
import { allEndpoints } from '../config/topology.types';
import type { AlertService } from '../alerts/alert.service';
import type { EndpointRegistry } from '../database/endpoint-registry';
import type { RedisService } from '../redis/redis.service';
import { SharedTopologyState } from '../topology-state/shared-topology-state';
import { TopologyStateService } from '../topology-state/topology-state.service';
import type { FailoverSettings } from './failover.settings';
import { FormerPrimaryFence } from './former-primary-fence';
import type { ServerAdmins } from './server-admins';

const url = (port: number) => `postgresql://app:pw@127.0.0.1:${port}/app`;
const topology = parseTopology(
  {
    regions: {
      'us-east': { primary: { url: url(1) }, replicas: [{ url: url(2) }] },
      'eu-west': { primary: { url: url(3) }, replicas: [{ url: url(4) }] },
      'asia-pacific': { primary: { url: url(5) }, replicas: [{ url: url(6) }] },
    },
  },
  'test',
);

describe('FormerPrimaryFence', () => {
  let fence: FormerPrimaryFence | undefined;
  beforeAll(() => Logger.overrideLogger(false));
  afterEach(() => fence?.onApplicationShutdown());

  it("catches up with the others' decisions on the watched server's group only: one Redis read per try", async () => {
    const state = new TopologyStateService(topology);
    state.setPrimary('us-east', 'us-east-replica-1');
    const read: string[] = [];
    const redis = {
      client: { hget: jest.fn(async (key: string) => (read.push(key), null)) },
      key: (...parts: string[]) => parts.join(':'),
    } as unknown as RedisService;
    const shared = new SharedTopologyState(redis, state);
    const endpoints = allEndpoints(topology);
    const registry = { endpoint: (id: string) => endpoints.find((e) => e.id === id)! } as unknown as EndpointRegistry;
    // The old primary answers writable: the fence asks whether it is still a former primary, then fences it.
    const fenced = new Promise<boolean>((resolve) => {
      const admins = { of: () => ({ fence: async (_ms: number, stillFormer: () => Promise<boolean>) => (resolve(await stillFormer()), { wasWritable: true }) }) };
      const alerts = { raise: async () => undefined } as unknown as AlertService;
      const settings = { fenceProbeMs: 5, stepTimeoutMs: 100 } as FailoverSettings;
      fence = new FormerPrimaryFence(registry, state, shared, alerts, admins as unknown as ServerAdmins, settings);
    });
    fence!.watch('us-east-primary');
    fence!.start(() => false);

    expect(await fenced).toBe(true);
    expect(read).toEqual(['topology:us-east']);
  });
});
