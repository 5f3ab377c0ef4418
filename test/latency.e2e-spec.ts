// Real latency between regions (the fault proxy's latency model, in process, in front of the shared topology):
// an app instance placed in eu-west reads global data from the global group's eu-west replica, and that is
// faster than a random endpoint of the group.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { INestApplication } from '@nestjs/common';
import { EndpointRegistry } from '../libs/regional-db/src/database/endpoint-registry';
import { ConnectionRouterService } from '../libs/regional-db/src/router/connection-router.service';
import type { FaultProxy } from '../tools/topology/fault-proxy';
import { createTestApp } from './support/app';
import { measureGlobalReads, median } from './support/global-read-latency';
import { startProxyFor, throughProxy } from './support/proxied-topology';
import { regionRttMs } from '../tools/topology/latency';
import { testTopology } from './support/test-topology';

const REGION = 'eu-west';
const READS = 40;
/** The app instance, as the proxy knows it from the application_name of its connections. */
const INSTANCE = 'latency-eu';

describe('latency between regions (nearest replica vs a random one)', () => {
  let proxy: FaultProxy;
  let app: INestApplication;
  const automaticFailover = process.env.FAILOVER_AUTOMATIC;

  beforeAll(async () => {
    const topology = testTopology();
    proxy = await startProxyFor(topology, true);
    proxy.setClientRegion(INSTANCE, REGION);
    // Cross-region probes take real round trips: this instance must not promote anything on the shared topology.
    process.env.FAILOVER_AUTOMATIC = 'false';
    process.env.INSTANCE_ID = INSTANCE;
    app = await createTestApp({ topology: throughProxy(topology, proxy) }).finally(() => delete process.env.INSTANCE_ID);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await proxy?.stop();
    if (automaticFailover === undefined) delete process.env.FAILOVER_AUTOMATIC;
    else process.env.FAILOVER_AUTOMATIC = automaticFailover;
  }, 30_000);

  it(`an instance in ${REGION} reads global data from the ${REGION} replica, faster than a random endpoint`, async () => {
    const topology = testTopology();
    const local = topology.global!.replicas.find((r) => r.region === REGION)!;
    const result = await measureGlobalReads(app.get(ConnectionRouterService), app.get(EndpointRegistry), topology, REGION, READS);
    const [nearest, random] = [median(result.nearestMs), median(result.randomMs)];
    console.log(`global reads from ${REGION}, ${READS} each: nearest p50 ${nearest.toFixed(1)} ms (${JSON.stringify(result.routed)}), random endpoint p50 ${random.toFixed(1)} ms`);
    expect(result.routed).toEqual({ [local.id]: READS });
    expect(nearest).toBeLessThan(random);
  }, 120_000);

  it(`a write from ${REGION} to the us-east primary pays the cross-region round trip once`, async () => {
    const rtt = regionRttMs(REGION, 'us-east');
    const router = app.get(ConnectionRouterService);
    const write = (n: number) => router.write('us-east').user.create({ data: { username: `latency-${n}-${Date.now()}`, email: 'l@x', passwordHash: 'x' } });
    for (let n = 0; n < 3; n++) await write(n); // pool connections open (their handshakes take several round trips)
    const samples: number[] = [];
    for (let n = 0; n < 15; n++) {
      const started = performance.now();
      await write(n);
      samples.push(performance.now() - started);
    }
    const p50 = median(samples);
    console.log(`writes from ${REGION} to us-east (RTT ${rtt} ms): p50 ${p50.toFixed(1)} ms`);
    // One round trip (INSERT ... RETURNING in one message), not BEGIN / INSERT / COMMIT (three).
    expect(p50).toBeGreaterThanOrEqual(rtt * 0.9);
    expect(p50).toBeLessThan(rtt * 2);
  }, 60_000);
});
