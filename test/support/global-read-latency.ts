// Read latency of one global key from a caller's region: the router's own choice against a random endpoint of
// the global group (what a router blind to location would do), samples interleaved so both see the same load.
// Shared by test/latency.e2e-spec.ts and bench/latency.bench.ts.
import { randomUUID } from 'node:crypto';
import type { Topology } from '../../libs/regional-db/src/config/topology.types';
import type { EndpointRegistry } from '../../libs/regional-db/src/database/endpoint-registry';
import { inRegion } from '../../src/geo/in-region';
import type { ConnectionRouterService } from '../../libs/regional-db/src/router/connection-router.service';

export interface GlobalReadLatency {
  /** Per-read milliseconds through `router.global().read()` from the caller's region. */
  nearestMs: number[];
  /** Per-read milliseconds on an endpoint of the group picked at random for each read. */
  randomMs: number[];
  /** Which endpoints served the router's reads, and how many each. */
  routed: Record<string, number>;
}

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const REPLICATION_DEADLINE_MS = 15_000;
const WARM_UP_READS = 3;

async function timed(read: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await read();
  return performance.now() - started;
}

export async function measureGlobalReads(router: ConnectionRouterService, registry: EndpointRegistry, topology: Topology, region: string, reads: number): Promise<GlobalReadLatency> {
  const global = topology.global;
  if (!global) throw new Error('the topology has no global database');
  const endpoints = [global.primary, ...global.replicas].map((e) => e.id);
  const key = `latency:${randomUUID()}`;
  const nearest = () => inRegion(region, () => router.global().read().keyValue.findUnique({ where: { key } }));
  const on = (id: string) => registry.global(id).keyValue.findUnique({ where: { key } });
  await router.global().write().keyValue.create({ data: { key, value: 'x'.repeat(64) } });
  try {
    // Every endpoint must have the key (and open pool connections) before anything is timed.
    const deadline = Date.now() + REPLICATION_DEADLINE_MS;
    for (const id of endpoints) {
      while (!(await on(id))) {
        if (Date.now() > deadline) throw new Error(`the key did not reach ${id} within ${REPLICATION_DEADLINE_MS} ms`);
        await new Promise((r) => setTimeout(r, 50));
      }
      for (let i = 0; i < WARM_UP_READS; i++) await on(id);
    }
    for (let i = 0; i < WARM_UP_READS; i++) await nearest();

    const before = router.routingMetrics().queriesRouted.byEndpoint;
    const result: GlobalReadLatency = { nearestMs: [], randomMs: [], routed: {} };
    for (let i = 0; i < reads; i++) {
      result.nearestMs.push(await timed(nearest));
      const id = endpoints[Math.floor(Math.random() * endpoints.length)];
      result.randomMs.push(await timed(() => on(id)));
    }
    for (const [id, count] of Object.entries(router.routingMetrics().queriesRouted.byEndpoint)) {
      if (count > (before[id] ?? 0)) result.routed[id] = count - (before[id] ?? 0);
    }
    return result;
  } finally {
    await router.global().write().keyValue.delete({ where: { key } });
  }
}
