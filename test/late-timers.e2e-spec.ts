// Our own event loop blocked (a busy process beside us, a long synchronous task) while every server is healthy:
// probe, connect and re-check timers fire late, before the answers waiting in our sockets are read. That measures
// us, not the servers: nothing may be marked down, no endpoint_down raised, no healthy primary replaced.
// A small topology of its own (a failover that should not happen must not touch the shared one), no Redis (an
// instance alone decides alone: nothing but its own timers between a late timer and a promotion).
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { INestApplication, Logger } from '@nestjs/common';
import { join } from 'node:path';
import type { AlertEvent } from '../libs/regional-db/src/alerts/alert.types';
import { AlertService } from '../libs/regional-db/src/alerts/alert.service';
import { allEndpoints, Topology } from '../libs/regional-db/src/config/topology.types';
import { InstanceIdentity } from '../libs/regional-db/src/database/instance-identity';
import { DatabaseHealthMonitorService } from '../libs/regional-db/src/health/database-health-monitor.service';
import { RegionalFailoverService } from '../libs/regional-db/src/failover/regional-failover.service';
import { ServerAdmins } from '../libs/regional-db/src/failover/server-admins';
import { TopologyStateService } from '../libs/regional-db/src/topology-state/topology-state.service';
import * as local from '../tools/topology/local-topology';
import { createTestApp } from './support/app';
import { failoverTopologyOptions, freshFailoverTopology, queryServer } from './support/failover-topology';
import { everyEndpointHealthy, useEnv } from './support/suite';

const PRIMARY = 'us-east-primary';
const PROBE_TIMEOUT_MS = 300;
const RECHECK_TIMEOUT_MS = 500;
const ROUND_MS = 250;

/** Busy-waits `ms`: the event loop runs nothing else meanwhile. */
const spin = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Blocks the loop `ms` at a time, `times` times, each block in a setImmediate of its own: between two blocks the
 * loop runs one turn, expired timers first, then the sockets' reads (the order a starved process sees too).
 */
function blockLoop(times: number, ms: number): Promise<void> {
  return new Promise((done) => {
    let left = times;
    const once = () => {
      spin(ms);
      if (--left > 0) setImmediate(once);
      else done();
    };
    setImmediate(once);
  });
}

describe('our own event loop blocked, every server healthy (real small topology)', () => {
  const options = failoverTopologyOptions([], { name: 'late-timers-topology', portOffset: 450 });
  let topology: Topology;
  let app: INestApplication;
  let monitor: DatabaseHealthMonitorService;
  const downs: string[] = [];
  const alerts: AlertEvent[] = [];

  useEnv({
    HEALTH_PROBE_TIMEOUT_MS: String(PROBE_TIMEOUT_MS),
    HEALTH_FAST_RETRY_MS: '100',
    FAILOVER_AUTOMATIC: 'true',
    FAILOVER_RECHECK_TIMEOUT_MS: String(RECHECK_TIMEOUT_MS),
    // Reading the replicas' positions may take the blocks' time: only the last look at the primary is under test.
    FAILOVER_STEP_TIMEOUT_MS: '10000',
    FAILOVER_HISTORY_FILE: join(options.dir, 'failover-history.jsonl'),
  });

  beforeAll(async () => {
    const t = await freshFailoverTopology(options);
    topology = { ...t, groups: t.groups.map((g) => ({ ...g, healthIntervalMs: ROUND_MS })), global: t.global && { ...t.global, healthIntervalMs: ROUND_MS } };
    const redis = process.env.REDIS_URL;
    delete process.env.REDIS_URL;
    try {
      app = await createTestApp({ topology });
    } finally {
      if (redis !== undefined) process.env.REDIS_URL = redis;
    }
    monitor = app.get(DatabaseHealthMonitorService);
    await everyEndpointHealthy(monitor, topology);
    monitor.events.on('endpoint-down', ({ endpointId }) => downs.push(endpointId));
    app.get(AlertService).events.on('alert', (event: AlertEvent) => alerts.push(event));
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await local.down(options);
  });

  it('blocks of 2-3x the probe timeout mark nothing down, raise no endpoint_down, replace no primary', async () => {
    const state = app.get(TopologyStateService);
    const epoch = state.state('us-east').epoch;
    const lateAnswers: string[] = [];
    monitor.events.on('probe', (e) => e.reachable && e.latencyMs > PROBE_TIMEOUT_MS && lateAnswers.push(e.endpointId));
    const probeSessions = `regional-db-router-health/${app.get(InstanceIdentity).id}`;
    const warn = jest.spyOn(Logger.prototype, 'warn');
    // Back to back, then with short breaths between them (a re-probe 100 ms later lands in the next block). Before
    // every other series the probe connections are cut: their new handshakes need turns of the loop, each a block.
    for (let i = 0; i < 4; i++) {
      if (i % 2 === 0) {
        await Promise.all(allEndpoints(topology).map((e) => queryServer(e.url, 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [probeSessions])));
      }
      await blockLoop(3, i % 2 ? 700 : 900);
      await sleep(30 + 40 * i);
    }
    // Whatever was left to judge after the last block is judged on a healthy loop now.
    await sleep(1_500);
    const lateLoopWarnings = warn.mock.calls.map(([m]) => String((m as { msg?: string })?.msg ?? m)).filter((m) => /event loop was too late/.test(m));
    warn.mockRestore();

    expect(downs).toEqual([]);
    expect(alerts.filter((e) => e.alert.type === 'endpoint_down' || e.alert.type.startsWith('failover_')).map((e) => `${e.action} ${e.alert.key}`)).toEqual([]);
    for (const e of allEndpoints(topology)) expect([e.id, monitor.health(e.id).isHealthy]).toEqual([e.id, true]);
    expect(state.primaryOf('us-east')).toBe(PRIMARY);
    expect(state.state('us-east').epoch).toBe(epoch);
    // The blocks did land on probes (else this proved nothing): answers read after their timer was due, and
    // handshakes left unjudged.
    expect(lateAnswers.length).toBeGreaterThan(0);
    const inconclusive = allEndpoints(topology).reduce((n, e) => n + monitor.metrics(e.id, 1).inconclusiveProbes, 0);
    expect(inconclusive).toBeGreaterThan(0);
    // Said once (rate-limited), with how late the loop was.
    expect(lateLoopWarnings).toHaveLength(1);
    expect(lateLoopWarnings[0]).toMatch(/delayed up to \d+ ms/);
  }, 60_000);

  it("a failover's last look at a healthy primary, its timer fired late by our own loop, promotes nothing", async () => {
    const state = app.get(TopologyStateService);
    const epoch = state.state('us-east').epoch;
    // The loop blocks from the moment the re-check is sent: its handshake needs turns of the loop, each one a block.
    const admin = app.get(ServerAdmins).of(topology.groups[0].primary);
    const position = admin.position.bind(admin);
    admin.position = (timeoutMs: number) => {
      const look = position(timeoutMs);
      if (timeoutMs === RECHECK_TIMEOUT_MS) void blockLoop(3, 700);
      return look;
    };
    try {
      // As if the health monitor had seen the primary down (a starved instance before this change could).
      const record = await app.get(RegionalFailoverService).failover('us-east', { trigger: 'automatic', actor: 'system', failedPrimary: PRIMARY });
      expect(record).toMatchObject({ outcome: 'skipped', to: null });
      expect(record.reason).toMatch(/last look at us-east-primary could not be judged/);
    } finally {
      admin.position = position;
    }
    expect(state.primaryOf('us-east')).toBe(PRIMARY);
    expect(state.state('us-east').epoch).toBe(epoch);
    expect(downs).toEqual([]);
  }, 60_000);
});
