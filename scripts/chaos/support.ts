// What the checks share: waiting for the service, background traffic, choosing what to break, putting a
// former primary back.
import { Client } from 'pg';
import { allEndpoints, loadTopologyFile } from '@regional-db/nestjs';
import * as local from '../../tools/topology/local-topology';
import type { ChaosContext } from './context';
import type { CheckRecorder } from './report';
import { describeReply, endpointOf, groupOf, Reply, StatusGroup, SystemStatus } from './service-client';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Polls `check` until it returns a truthy value; `ms` is the time from `since` (default: the call). */
export async function until<T>(what: string, check: () => Promise<T | null | undefined | false>, timeoutMs: number, since = Date.now()): Promise<{ value: T; ms: number }> {
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
export class Traffic {
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

  async stop(): Promise<{ ok: number; failed: number; firstFailure: string | null; failures: Reply[] }> {
    this.running = false;
    await this.done;
    const failures = this.outcomes.filter((o) => !ok(o.reply)).map((o) => o.reply);
    return { ok: this.outcomes.length - failures.length, failed: failures.length, firstFailure: failures[0] ? describeReply(failures[0]) : null, failures };
  }

  /** First success of a request sent at or after `since`. */
  firstSuccessAfter(since: number): number | null {
    return this.outcomes.find((o) => o.startedAt >= since && ok(o.reply))?.endedAt ?? null;
  }
}

export const ok = (reply: Reply) => reply.status >= 200 && reply.status < 300;

/** The region whose group is `group` when it is regional; the service's default region otherwise (global). */
export const readRegion = (status: SystemStatus, group: StatusGroup) => (group.kind === 'global' ? status.defaultRegion : group.name);

export function targetGroup(ctx: ChaosContext, status: SystemStatus): StatusGroup {
  return groupOf(status, ctx.options.region ?? status.defaultRegion);
}

/** `--endpoint`, else the group's last healthy replica that is not fenced. */
export function targetReplica(ctx: ChaosContext, status: SystemStatus): { group: StatusGroup; id: string } {
  if (ctx.options.endpoint) {
    const endpoint = endpointOf(status, ctx.options.endpoint);
    return { group: groupOf(status, endpoint.group), id: endpoint.id };
  }
  const group = targetGroup(ctx, status);
  const replica = group.endpoints.filter((e) => e.id !== group.primary && e.healthy && !e.fenced).pop();
  if (!replica) throw new Error(`${group.name} has no healthy replica to break`);
  return { group, id: replica.id };
}

const promotable = (group: StatusGroup) => group.primary !== null && group.endpoints.some((e) => e.id !== group.primary && e.healthy && !e.fenced);

/**
 * The group to fail over: `--region`, else the default region, else (earlier failovers leave former primaries
 * fenced) the first regional group that still has a healthy, unfenced replica to promote.
 */
export function failoverGroup(ctx: ChaosContext, status: SystemStatus): StatusGroup {
  const chosen = targetGroup(ctx, status);
  const group = (promotable(chosen) || ctx.options.region) ? chosen : (status.groups.find((g) => g.kind !== 'global' && promotable(g)) ?? chosen);
  if (!promotable(group)) {
    throw new Error(`${group.name} has no healthy, unfenced replica to promote (after earlier failovers former primaries stay fenced): bring the topology up fresh`);
  }
  return group;
}

export async function serverUrl(ctx: ChaosContext, id: string): Promise<string> {
  const endpoint = allEndpoints(loadTopologyFile(local.topologyFilePath(ctx.topology))).find((e) => e.id === id);
  if (!endpoint) throw new Error(`${id} is not in the topology file`);
  return endpoint.url;
}

/** Whether the server's application database is fenced: it refuses every connection (ALLOW_CONNECTIONS false). */
export async function isFenced(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on('error', () => undefined); // a server ending the session must not kill the process
  try {
    await client.connect();
    return false;
  } catch (error) {
    if ((error as { code?: string }).code === '55000') return true;
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Waits until the service sees `id` healthy again (asking for health rounds meanwhile). */
export async function serviceSeesHealthy(ctx: ChaosContext, id: string, since?: number): Promise<number> {
  const { ms } = await until(
    `the service sees ${id} healthy`,
    async () => {
      if (Date.now() - (since ?? 0) > 1_000) await ctx.service.nudgeHealthRound();
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
export function restoreFormerPrimary(ctx: ChaosContext, rec: CheckRecorder, former: string, promoted: () => string | null): void {
  rec.onRestore(`${former} back in its group`, async () => {
    await local.thawServer(ctx.topology, former).catch(() => undefined);
    const current = promoted();
    if (current) await ctx.progress.step(rec.name, `rejoin ${former} to ${current}`, () => local.rejoin(ctx.topology, former, current));
    else await local.startServer(ctx.topology, former);
    await serviceSeesHealthy(ctx, former);
    return current ? `a replica of ${current} (pg_rewind), fenced in the service until the topology is reset` : 'no failover happened: started again as the primary';
  });
}
