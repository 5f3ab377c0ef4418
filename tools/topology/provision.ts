// Bringing every server of a topology up: start the existing ones, create the missing ones. Each server
// goes as soon as what it needs is ready (a replica waits only for its own upstream), with the heavy
// steps (initdb, pg_basebackup) a few at a time so a 2-core machine is not swamped.
import { cpus } from 'node:os';
import {
  basebackupReplica,
  ClusterContext,
  copyReplica,
  ensureAppObjects,
  hasCluster,
  initPrimary,
  startCluster,
  stopCluster,
} from './cluster';
import { limiter, StepLog, TopologyError } from './options';
import { findServer, ServerState, TopologyState } from './state';

/** initdb / pg_basebackup at once: enough to overlap their I/O, few enough for 2 cores. */
export const HEAVY_CONCURRENCY = Math.max(2, Math.min(4, cpus().length));

/** Resolves with the servers that failed (the others are up); never rejects. */
export async function provision(ctx: ClusterContext, steps: StepLog, state: TopologyState): Promise<Map<string, Error>> {
  const heavy = limiter(HEAVY_CONCURRENCY);
  const started = new Map<string, Promise<void>>();
  const copied = new Map<string, Promise<void>>();

  const ensure = (s: ServerState): Promise<void> => {
    let p = started.get(s.id);
    if (!p) started.set(s.id, (p = bring(s)));
    return p;
  };

  const appObjects = (s: ServerState) =>
    steps.step(
      (done) => `role app + database ${s.database} on ${s.id}${done === false ? ': skipped (in recovery)' : ''}`,
      () => ensureAppObjects(s, state.password),
    );

  /** Without pg_basebackup: one stop-copy-start of the upstream for all its missing replicas. */
  const copyFrom = (upstream: ServerState): Promise<void> => {
    let p = copied.get(upstream.id);
    if (!p) {
      const replicas = state.servers.filter((r) => r.upstream === upstream.id && !hasCluster(r));
      p = (async () => {
        await steps.step((r) => `stop ${upstream.id} to copy it: ${r}`, () => stopCluster(ctx, upstream));
        try {
          for (const r of replicas) await heavy(() => steps.step(`copy ${upstream.id} to ${r.id}`, () => copyReplica(ctx, r, upstream)));
        } finally {
          await steps.step((r) => `start ${upstream.id}: ${r}`, () => startCluster(ctx, upstream));
        }
      })();
      copied.set(upstream.id, p);
    }
    return p;
  };

  const bring = async (s: ServerState): Promise<void> => {
    if (hasCluster(s)) {
      // Existing: just start it (a replica reconnects to its upstream on its own).
      await steps.step((r) => `start ${s.id}: ${r}`, () => startCluster(ctx, s));
      if (!s.upstream) await appObjects(s);
      return;
    }
    if (!s.upstream) {
      await heavy(() => steps.step(`initdb ${s.id}`, () => initPrimary(ctx, s)));
      await steps.step((r) => `start ${s.id}: ${r}`, () => startCluster(ctx, s, { inRecovery: false }));
      await appObjects(s); // before its replicas are copied from it, so they have them too
      return;
    }
    const upstream = findServer(state, s.upstream);
    try {
      await ensure(upstream);
    } catch {
      throw new TopologyError(`not created: its upstream ${upstream.id} is not available`);
    }
    if (ctx.bins.hasBasebackup) {
      await heavy(() => steps.step(`pg_basebackup ${s.id} from ${upstream.id}`, () => basebackupReplica(ctx, s, upstream)));
    } else {
      await copyFrom(upstream);
    }
    await steps.step((r) => `start ${s.id}: ${r}`, () => startCluster(ctx, s, { inRecovery: true }));
  };

  const results = await Promise.allSettled(state.servers.map(ensure));
  const failed = new Map<string, Error>();
  results.forEach((r, i) => {
    if (r.status === 'rejected') failed.set(state.servers[i].id, r.reason as Error);
  });
  return failed;
}
