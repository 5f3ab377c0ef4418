// The checks: each breaks one thing in the local topology (through tools/topology), watches the running
// service through its HTTP API, records findings and timings, and registers how to put things back.
import { Client } from 'pg';
import { loadTopologyFile } from '../../src/config/topology.loader';
import { allEndpoints } from '../../src/config/topology.types';
import * as local from '../../tools/topology/local-topology';
import type { CheckName, ChaosOptions } from './options';
import type { Progress } from './progress';
import type { CheckRecorder } from './report';
import { describe, endpointOf, groupOf, Reply, ServiceClient, StatusGroup, SystemStatus } from './service-client';

export interface ChaosContext {
  service: ServiceClient;
  topology: local.TopologyOptionsInput;
  progress: Progress;
  options: ChaosOptions;
}

type Check = (ctx: ChaosContext, rec: CheckRecorder) => Promise<void>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Polls `check` until it returns a truthy value; `ms` is the time from `since` (default: the call). */
async function until<T>(what: string, check: () => Promise<T | null | undefined | false>, timeoutMs: number, since = Date.now()): Promise<{ value: T; ms: number }> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      const value = await check();
      if (value) return { value, ms: Date.now() - since };
    } catch (error) {
      last = (error as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${seconds(timeoutMs)}${last ? ` (last: ${last})` : ''}`);
    await sleep(100);
  }
}

/** Sequential requests until stopped, each outcome kept with its times. */
class Traffic {
  readonly outcomes: { startedAt: number; endedAt: number; reply: Reply }[] = [];
  private running = true;
  private readonly done: Promise<void>;

  constructor(send: () => Promise<Reply>, pauseMs: number) {
    this.done = (async () => {
      while (this.running) {
        const startedAt = Date.now();
        const reply = await send().catch((error: Error) => ({ status: 0, body: { message: error.message }, ms: 0 }));
        this.outcomes.push({ startedAt, endedAt: Date.now(), reply });
        await sleep(pauseMs);
      }
    })();
  }

  async stop(): Promise<{ ok: number; failed: number; firstFailure: string | null }> {
    this.running = false;
    await this.done;
    const failed = this.outcomes.filter((o) => !ok(o.reply));
    return { ok: this.outcomes.length - failed.length, failed: failed.length, firstFailure: failed[0] ? describe(failed[0].reply) : null };
  }

  /** First success of a request sent at or after `since`. */
  firstSuccessAfter(since: number): number | null {
    return this.outcomes.find((o) => o.startedAt >= since && ok(o.reply))?.endedAt ?? null;
  }
}

const ok = (reply: Reply) => reply.status >= 200 && reply.status < 300;

/** The region whose group is `group` when it is regional; the service's default region otherwise (global). */
const readRegion = (status: SystemStatus, group: StatusGroup) => (group.kind === 'global' ? status.defaultRegion : group.name);

function targetGroup(ctx: ChaosContext, status: SystemStatus): StatusGroup {
  return groupOf(status, ctx.options.region ?? status.defaultRegion);
}

/** `--endpoint`, else the group's last healthy replica that is not fenced. */
function targetReplica(ctx: ChaosContext, status: SystemStatus): { group: StatusGroup; id: string } {
  if (ctx.options.endpoint) {
    const endpoint = endpointOf(status, ctx.options.endpoint);
    return { group: groupOf(status, endpoint.group), id: endpoint.id };
  }
  const group = targetGroup(ctx, status);
  const replica = group.endpoints.filter((e) => e.id !== group.primary && e.healthy && !e.fenced).pop();
  if (!replica) throw new Error(`${group.name} has no healthy replica to break`);
  return { group, id: replica.id };
}

function requirePromotable(group: StatusGroup): void {
  const candidates = group.endpoints.filter((e) => e.id !== group.primary && e.healthy && !e.fenced);
  if (!group.primary || candidates.length === 0) {
    throw new Error(`${group.name} has no healthy, unfenced replica to promote (after earlier failovers former primaries stay fenced): bring the topology up fresh`);
  }
}

async function serverUrl(ctx: ChaosContext, id: string): Promise<string> {
  const endpoint = allEndpoints(loadTopologyFile(local.topologyFilePath(ctx.topology))).find((e) => e.id === id);
  if (!endpoint) throw new Error(`${id} is not in the topology file`);
  return endpoint.url;
}

/** `SHOW default_transaction_read_only` on the server itself. */
async function isReadOnly(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    return (await client.query<{ ro: string }>(`SELECT current_setting('default_transaction_read_only') AS ro`)).rows[0].ro === 'on';
  } finally {
    await client.end();
  }
}

/** Waits until the service sees `id` healthy again, nudging it with a health round every 5 s (admin calls are rate limited). */
async function serviceSeesHealthy(ctx: ChaosContext, id: string, since?: number): Promise<number> {
  let nudged = Date.now() - 4_000; // first nudge after 1 s
  const { ms } = await until(
    `the service sees ${id} healthy`,
    async () => {
      if (Date.now() - nudged > 5_000) {
        nudged = Date.now();
        await ctx.service.healthCheck();
      }
      return endpointOf(await ctx.service.status(), id).healthy;
    },
    ctx.options.timeoutMs,
    since,
  );
  return ms;
}

/**
 * Puts a former primary back in its group: a streaming replica of the new primary (pg_rewind; the service
 * keeps it fenced), or, when none was promoted, the same server started again.
 */
function restoreFormerPrimary(ctx: ChaosContext, rec: CheckRecorder, former: string, promoted: () => string | null): void {
  rec.onRestore(`${former} back in its group`, async () => {
    await local.thawServer(ctx.topology, former).catch(() => undefined);
    const current = promoted();
    if (current) await ctx.progress.step(rec.name, `rejoin ${former} to ${current}`, () => local.rejoin(ctx.topology, former, current));
    else await local.startServer(ctx.topology, former);
    await serviceSeesHealthy(ctx, former);
    return current ? `a replica of ${current} (pg_rewind), fenced in the service until the topology is reset` : 'no failover happened: started again as the primary';
  });
}

const healthCheck: Check = async (ctx, rec) => {
  const { service, progress } = ctx;
  rec.title = 'service live and ready, every endpoint healthy, primaries agree with the servers';
  const live = await service.live();
  rec.expect(live.status === 200, `GET /health/live ${describe(live)}`);
  const ready = await service.ready();
  const notReady = Object.entries(ready.body?.error ?? {}).map(([group, detail]) => `${group}: ${detail.reason ?? 'down'}`);
  rec.expect(ready.status === 200, `GET /health/ready ${ready.status}${notReady.length ? ` (${notReady.join('; ')})` : ''}`);

  const round = await progress.step(rec.name, 'health round (POST /api/database/health-check)', () => service.healthCheck());
  if (rec.expect(round.status === 200, `POST /api/database/health-check ${describe(round)}`)) {
    const unreachable = round.body.probes.filter((p) => !p.reachable);
    rec.expect(unreachable.length === 0, `${round.body.probes.length - unreachable.length}/${round.body.probes.length} endpoints answered the probe${unreachable.length ? ` (not: ${unreachable.map((p) => p.endpointId).join(', ')})` : ''}`);
    rec.timing('health round', round.body.durationMs);
  }

  const status = await service.status();
  const endpoints = status.groups.flatMap((g) => g.endpoints);
  const unhealthy = endpoints.filter((e) => !e.healthy);
  rec.expect(unhealthy.length === 0, `${endpoints.length - unhealthy.length}/${endpoints.length} endpoints healthy in the service's view${unhealthy.length ? ` (not: ${unhealthy.map((e) => e.id).join(', ')})` : ''}`);
  const servers = await progress.step(rec.name, 'ask every server its role', () => local.status(ctx.topology));
  for (const group of status.groups) {
    const server = servers.find((s) => s.id === group.primary);
    rec.expect(server?.role === 'primary', `${group.name}: the service's primary ${group.primary ?? 'none'} (epoch ${group.epoch}) is a running primary server (${server?.role ?? 'unknown'})`);
  }
  for (const group of status.groups.filter((g) => g.kind !== 'global')) {
    const read = await service.read(group.name);
    rec.expect(read.status === 200, `routed read in ${group.name}: GET /api/feed ${describe(read)} in ${read.ms.toFixed(0)} ms`);
  }
};

const simulatedFailure: Check = async (ctx, rec) => {
  const { service, progress, options } = ctx;
  const before = await service.status();
  const { group, id } = targetReplica(ctx, before);
  const region = readRegion(before, group);
  rec.title = `kill -9 replica ${id}: the service marks it down, reads in ${region} keep working`;
  const restart = `${id} started again and healthy in the service`;
  rec.onRestore(restart, async () => {
    await local.startServer(ctx.topology, id);
    await serviceSeesHealthy(ctx, id);
  });

  const reads = new Traffic(() => service.read(region), 50);
  const killedAt = Date.now();
  await progress.step(rec.name, `kill -9 ${id}`, () => local.killServer(ctx.topology, id));
  const detection = await progress.step(rec.name, `service marks ${id} down`, () =>
    until(`the service marks ${id} down`, async () => !endpointOf(await service.status(), id).healthy, options.timeoutMs, killedAt),
  );
  rec.expect(true, `the service marked ${id} down ${seconds(detection.ms)} after the kill`);
  rec.timing('detection', detection.ms);
  await sleep(1_000); // reads go on a while with the replica known down
  const outcome = await reads.stop();
  rec.expect(outcome.failed === 0, `${outcome.ok}/${outcome.ok + outcome.failed} reads in ${region} succeeded meanwhile${outcome.firstFailure ? ` (first failure: ${outcome.firstFailure})` : ''}`);
  const after = await service.status();
  rec.expect(groupOf(after, group.name).primary === group.primary, `no failover: ${group.primary} still primary of ${group.name} (epoch ${groupOf(after, group.name).epoch})`);

  const restartedAt = Date.now();
  await progress.step(rec.name, `start ${id}, until the service sees it healthy`, () => rec.restore(restart));
  rec.timing('recovery', Date.now() - restartedAt);
};

/** Kill or freeze the primary under reads and writes; measures detection, promotion and the first write. */
async function losePrimary(ctx: ChaosContext, rec: CheckRecorder, how: 'kill' | 'freeze'): Promise<void> {
  const { service, progress, options } = ctx;
  const before = await service.status();
  const group = targetGroup(ctx, before);
  requirePromotable(group);
  const former = group.primary!;
  const region = readRegion(before, group);
  rec.title = `${how === 'kill' ? 'kill -9' : 'SIGSTOP (network partition)'} of primary ${former}: a replica is promoted, writes resume`;
  await progress.step(rec.name, `a writer user in ${region}`, () => service.prepareWriter(region));
  let promoted: string | null = null;
  restoreFormerPrimary(ctx, rec, former, () => promoted);

  const writes = new Traffic(() => service.write(region), 50);
  const reads = new Traffic(() => service.read(region), 50);
  await sleep(500);
  const brokeAt = Date.now();
  await progress.step(rec.name, `${how === 'kill' ? 'kill -9' : 'freeze'} ${former}`, () =>
    how === 'kill' ? local.killServer(ctx.topology, former) : local.freezeServer(ctx.topology, former),
  );
  try {
    const detection = await progress.step(rec.name, `service notices ${former} is gone`, () =>
      until(
        'the service notices',
        async () => {
          const g = groupOf(await service.status(), group.name);
          return g.primary !== former || g.failoverRunning || !g.endpoints.find((e) => e.id === former)!.healthy;
        },
        options.timeoutMs,
        brokeAt,
      ),
    );
    rec.timing('detection', detection.ms);
    const promotion = await progress.step(rec.name, 'a replica is promoted', () =>
      until(
        'a new primary',
        async () => {
          const g = groupOf(await service.status(), group.name);
          return g.primary !== null && g.primary !== former && !g.failoverRunning ? g : null;
        },
        options.timeoutMs,
        brokeAt,
      ),
    );
    promoted = promotion.value.primary!;
    rec.expect(true, `${promoted} promoted ${seconds(promotion.ms)} after the failure, epoch ${group.epoch} -> ${promotion.value.epoch}`);
    rec.expect(promotion.value.epoch > group.epoch, `epoch moved on (${promotion.value.epoch})`);
    rec.expect(promotion.value.fenced.includes(former), `${former} fenced in the service`);
    rec.timing('promotion', promotion.ms);
    const firstWrite = await progress.step(rec.name, 'first successful write', () =>
      until('a successful write after the failure', async () => writes.firstSuccessAfter(brokeAt), options.timeoutMs, brokeAt),
    );
    rec.timing('first write', firstWrite.value - brokeAt);
    rec.expect(true, `first write through the service ${seconds(firstWrite.value - brokeAt)} after the failure`);
  } finally {
    const w = await writes.stop();
    const r = await reads.stop();
    rec.expect(r.failed === 0, `${r.ok}/${r.ok + r.failed} reads in ${region} succeeded throughout${r.firstFailure ? ` (first failure: ${r.firstFailure})` : ''}`);
    rec.findings.push({ ok: true, text: `${w.ok} writes succeeded, ${w.failed} failed while there was no primary${w.firstFailure ? ` (${w.firstFailure})` : ''}` });
  }
  const record = await service.lastFailover();
  if (record && record.to === promoted) {
    const d = record.durations;
    rec.findings.push({ ok: true, text: `service's record: ${record.trigger}, detection ${d.detectionMs ?? '-'} ms, promotion ${d.promotionMs ?? '-'} ms, total ${d.totalMs} ms` });
  }
  if (how === 'freeze') {
    // The partition heals: the old primary wakes up believing it is primary.
    await progress.step(rec.name, `thaw ${former}`, () => local.thawServer(ctx.topology, former));
    const url = await serverUrl(ctx, former);
    const fenced = await progress.step(rec.name, `${former} fenced read-only once awake`, () => until(`${former} read-only`, () => isReadOnly(url), options.timeoutMs));
    rec.expect(true, `${former} woke up read-only (default_transaction_read_only = on) after ${seconds(fenced.ms)}: no split brain`);
  }
}

const manualFailover: Check = async (ctx, rec) => {
  const { service, progress, options } = ctx;
  const before = await service.status();
  const group = targetGroup(ctx, before);
  requirePromotable(group);
  const former = group.primary!;
  const region = readRegion(before, group);
  rec.title = `POST /api/database/failover/${group.name}: planned switchover away from ${former}`;
  await progress.step(rec.name, `a writer user in ${region}`, () => service.prepareWriter(region));
  let promoted: string | null = null;
  restoreFormerPrimary(ctx, rec, former, () => promoted);

  const startedAt = Date.now();
  const reply = await progress.step(rec.name, `POST /api/database/failover/${group.name}`, () => service.failover(group.name));
  if (!rec.expect(reply.status === 200 && reply.body.success, `failover answered ${reply.status}: ${reply.body.message ?? describe(reply)}`)) return;
  const record = reply.body.failover;
  promoted = record.to;
  rec.timing('promotion', record.durations.promotionMs);
  rec.timing('failover total', record.durations.totalMs);
  rec.expect(record.planned && record.lagAtPromotionBytes === 0, `planned switchover, ${record.lagAtPromotionBytes ?? '?'} bytes behind at promotion (nothing acknowledged lost)`);
  const after = groupOf(await service.status(), group.name);
  rec.expect(after.primary === promoted && after.epoch === group.epoch + 1, `status: ${after.primary} primary at epoch ${after.epoch} (was ${former} at ${group.epoch})`);
  rec.expect(after.fenced.includes(former), `${former} fenced`);
  const write = await progress.step(rec.name, 'first successful write', () =>
    until('a successful write', async () => ok(await service.write(region)), options.timeoutMs, startedAt),
  );
  rec.timing('first write', write.ms);
  rec.expect(true, `a write through the service succeeded ${seconds(write.ms)} after the request`);
  const read = await service.read(region);
  rec.expect(ok(read), `a read in ${region}: ${describe(read)}`);
};

const replicaLag: Check = async (ctx, rec) => {
  const { service, progress, options } = ctx;
  const before = await service.status();
  const { group, id } = targetReplica(ctx, before);
  const region = readRegion(before, group);
  rec.title = `replay paused on ${id} under writes: the service sees the lag, reads avoid it, it catches up`;
  await progress.step(rec.name, `a writer user in ${region}`, () => service.prepareWriter(region));
  rec.onRestore(`replay resumed on ${id}`, () => local.resumeReplay(ctx.topology, id));

  await progress.step(rec.name, `pause replay on ${id}`, () => local.pauseReplay(ctx.topology, id));
  const pausedAt = Date.now();
  const writes = new Traffic(() => service.write(region), 20);
  try {
    const seen = await progress.step(rec.name, `service sees ${id} behind`, () =>
      until(
        `lag on ${id}`,
        async () => {
          const e = endpointOf(await service.status(), id);
          return e.replayPaused && (e.replicationLagBytes ?? 0) > 0 && e;
        },
        options.timeoutMs,
        pausedAt,
      ),
    );
    rec.timing('lag seen', seen.ms);
    rec.expect(true, `the service reports ${id} replay paused, ${seen.value.replicationLagBytes} bytes behind`);
    // Past the router's default freshness bound (ROUTER_DEFAULT_MAX_LAG_MS, 5 s), reads must go elsewhere.
    const stale = await progress.step(rec.name, `${id} more than 5 s behind`, () =>
      until(`${id} 5 s behind`, async () => {
        const e = endpointOf(await service.status(), id);
        return (e.replicationLagMs ?? 0) > 5_500 && e;
      }, options.timeoutMs),
    );
    const routedBefore = (await service.routedByEndpoint()).body.routing.queriesRouted.byEndpoint[id] ?? 0;
    let readsOk = 0;
    for (let i = 0; i < 20; i++) if (ok(await service.read(region))) readsOk++;
    const routedAfter = (await service.routedByEndpoint()).body.routing.queriesRouted.byEndpoint[id] ?? 0;
    rec.expect(readsOk === 20, `${readsOk}/20 reads in ${region} succeeded with ${id} ${seconds(stale.value.replicationLagMs ?? 0)} behind`);
    rec.expect(routedAfter === routedBefore, `none of them was routed to the lagging ${id} (${routedAfter - routedBefore})`);
  } finally {
    const w = await writes.stop();
    rec.findings.push({ ok: true, text: `${w.ok} writes generated the lag${w.failed ? `, ${w.failed} failed (${w.firstFailure})` : ''}` });
  }
  const resumedAt = Date.now();
  await progress.step(rec.name, `resume replay on ${id}`, () => rec.restore(`replay resumed on ${id}`));
  const caughtUp = await progress.step(rec.name, `${id} caught up`, () =>
    until(`${id} caught up`, async () => {
      const e = endpointOf(await service.status(), id);
      return !e.replayPaused && e.replicationLagBytes === 0;
    }, options.timeoutMs, resumedAt),
  );
  rec.timing('catch-up', caughtUp.ms);
  rec.expect(true, `${id} caught up ${seconds(caughtUp.ms)} after replay resumed`);
};

const highLoad: Check = async (ctx, rec) => {
  const { service, progress, options } = ctx;
  const status = await service.status();
  const regions = status.groups.filter((g) => g.kind !== 'global').map((g) => g.name);
  rec.title = `${options.concurrency} requests in flight for ${options.loadSeconds} s (80% reads, 20% writes over ${regions.join(', ')})`;
  await progress.step(rec.name, 'a writer user per region', () => Promise.all(regions.map((r) => service.prepareWriter(r))));
  const latencies = { read: [] as number[], write: [] as number[] };
  const failures: string[] = [];
  let readyChecks = 0;
  let readyFailures = 0;
  const end = Date.now() + options.loadSeconds * 1000;
  await progress.step(rec.name, 'load', async () => {
    const watcher = (async () => {
      while (Date.now() < end) {
        readyChecks++;
        if ((await service.ready()).status !== 200) readyFailures++;
        await sleep(1_000);
      }
    })();
    await Promise.all(
      Array.from({ length: options.concurrency }, async (_, worker) => {
        for (let i = worker; Date.now() < end; i++) {
          const kind = i % 5 === 0 ? 'write' : 'read';
          const region = regions[i % regions.length];
          const reply = kind === 'write' ? await service.write(region) : await service.read(region);
          if (ok(reply)) latencies[kind].push(reply.ms);
          else failures.push(`${kind} ${region}: ${describe(reply)}`);
        }
      }),
    );
    await watcher;
  });
  const total = latencies.read.length + latencies.write.length + failures.length;
  rec.expect(failures.length === 0, `${total - failures.length}/${total} requests succeeded (${(total / options.loadSeconds).toFixed(0)} per second)${failures.length ? `; first failure: ${failures[0]}` : ''}`);
  rec.expect(readyFailures === 0, `/health/ready stayed 200 (${readyChecks - readyFailures}/${readyChecks} checks)`);
  for (const kind of ['read', 'write'] as const) {
    const sorted = [...latencies[kind]].sort((a, b) => a - b);
    const p = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : null);
    rec.timing(`${kind} p50`, p(0.5));
    rec.timing(`${kind} p99`, p(0.99));
  }
};

const regionOutage: Check = async (ctx, rec) => {
  const { service, progress, options } = ctx;
  const before = await service.status();
  const regional = before.groups.filter((g) => g.kind !== 'global');
  const region = ctx.options.region ?? regional.find((g) => g.name !== before.defaultRegion)?.name;
  const other = regional.find((g) => g.name !== region)?.name;
  if (!region || !other) throw new Error('region-outage needs two regions');
  const servers = (await local.status(ctx.topology)).filter((s) => s.region === region).map((s) => s.id);
  rec.title = `every server located in ${region} stopped (${servers.join(', ')}): a localized outage, other regions unaffected`;
  await progress.step(rec.name, `writer users in ${region} and ${other}`, () => Promise.all([service.prepareWriter(region), service.prepareWriter(other)]));
  const restart = `region ${region} started again, every server healthy in the service`;
  rec.onRestore(restart, async () => {
    await local.startRegion(ctx.topology, region);
    for (const id of servers) await serviceSeesHealthy(ctx, id);
  });

  const stoppedAt = Date.now();
  await progress.step(rec.name, `stop region ${region}`, () => local.stopRegion(ctx.topology, region));
  const detection = await progress.step(rec.name, `service marks ${region} down`, () =>
    until(`every ${region} server down`, async () => {
      const status = await service.status();
      return servers.every((id) => !endpointOf(status, id).healthy);
    }, options.timeoutMs, stoppedAt),
  );
  rec.timing('detection', detection.ms);
  const ready = await service.ready();
  rec.expect(ready.status === 503 && Object.keys(ready.body?.error ?? {}).includes(region), `/health/ready ${ready.status}, naming ${region} as without a writable primary`);
  const lostWrite = await service.write(region);
  rec.expect(lostWrite.status === 503, `a write in ${region} is refused with a clear 503, not a 500 (${describe(lostWrite)})`);
  const otherWrite = await service.write(other);
  const otherRead = await service.read(other);
  rec.expect(ok(otherWrite) && ok(otherRead), `${other} unaffected: write ${describe(otherWrite)}, read ${describe(otherRead)}`);

  const startedAt = Date.now();
  await progress.step(rec.name, `start region ${region}, until the service sees it healthy`, () => rec.restore(restart));
  const write = await until(`a write in ${region}`, async () => ok(await service.write(region)), options.timeoutMs, startedAt);
  rec.timing('recovery (first write)', write.ms);
  const after = await service.status();
  for (const group of before.groups) {
    const now = groupOf(after, group.name);
    rec.expect(now.primary === group.primary, `${group.name}: primary ${now.primary} (was ${group.primary})`);
  }
};

export const CHECKS: Record<CheckName, Check> = {
  'health-check': healthCheck,
  'simulated-failure': simulatedFailure,
  'manual-failover': manualFailover,
  'primary-failure': (ctx, rec) => losePrimary(ctx, rec, 'kill'),
  'network-partition': (ctx, rec) => losePrimary(ctx, rec, 'freeze'),
  'replica-lag': replicaLag,
  'high-load': highLoad,
  'region-outage': regionOutage,
};
