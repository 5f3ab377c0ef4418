// Turning a failed or demoted primary into a streaming replica of the new primary, with pg_rewind.
import { writeServerConfig, setStandby, writeSharedConfig } from './conf';
import { ClusterContext, hasCluster, startCluster, stopCluster } from './cluster';
import { withServer } from './db';
import { giveToPostgres, run } from './exec';
import { StepLog, TopologyError, sleep } from './options';
import { removeStaleLocks } from './processes';
import { ServerState } from './state';

export async function rejoinServer(
  ctx: ClusterContext,
  steps: StepLog,
  target: ServerState,
  source: ServerState,
): Promise<void> {
  if (target.id === source.id) throw new TopologyError(`${target.id} cannot rejoin itself`);
  if (!hasCluster(target)) throw new TopologyError(`${target.id} has no data folder to rewind`);
  if (!ctx.bins.hasRewind) {
    throw new TopologyError(`pg_rewind is not in ${ctx.bins.binDir}: rejoin needs it (use PostgreSQL's full binaries)`);
  }
  // pg_rewind reads the source's timeline from its control file, which a fresh promotion updates only at
  // the next checkpoint: without this it can wrongly answer "no rewind required".
  await steps.step(`checkpoint on ${source.id}`, () =>
    withServer(source, async (c) => {
      const { rows } = await c.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r');
      if (rows[0].r) throw new TopologyError(`${source.id} is a replica (in recovery): promote it before rejoining ${target.id} to it`);
      await c.query('CHECKPOINT');
    }).catch((error) => {
      if (error instanceof TopologyError) throw error;
      throw new TopologyError(`new primary ${source.id} is not reachable: ${(error as Error).message}`);
    }),
  );
  const stopped = await steps.step(`stop ${target.id}`, () => stopCluster(ctx, target));
  steps.line(`${target.id}: ${stopped}`);
  removeStaleLocks(target.dataDir, ctx.socketDir, target.port);
  // A crashed target is first recovered by pg_rewind itself (single-user mode, PostgreSQL 13+).
  const out = await steps.step(`pg_rewind ${target.id} from ${source.id}`, () =>
    run(
      ctx.bins.path('pg_rewind'),
      ['--target-pgdata', target.dataDir, '--source-server', `host=127.0.0.1 port=${source.port} user=postgres dbname=postgres`],
      { asPostgres: true, cwd: ctx.dir, timeoutMs: 300_000 },
    ),
  );
  const said = `${out.stdout}\n${out.stderr}`.trim().split('\n').filter(Boolean).pop();
  if (said) steps.line(`pg_rewind: ${said}`);
  // pg_rewind copied the source's configuration files: put this server's own settings back.
  writeSharedConfig(target.dataDir, ctx.socketDir);
  writeServerConfig(target.dataDir, { id: target.id, port: target.port, upstreamPort: source.port });
  setStandby(target.dataDir, true);
  giveToPostgres(target.dataDir);
  await steps.step(`start ${target.id} as a replica of ${source.id}`, () => startCluster(ctx, target, { inRecovery: true }));
  await steps.step(`${target.id} streaming from ${source.id}`, () => waitStreaming(target, source, 30_000));
}

/** Until the replica's WAL receiver streams from the source's port. */
async function waitStreaming(replica: ServerState, source: ServerState, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no WAL receiver';
  while (Date.now() < deadline) {
    try {
      const row = await withServer(replica, async (c) =>
        (await c.query<{ status: string; port: number }>('SELECT status, sender_port AS port FROM pg_stat_wal_receiver')).rows[0],
      );
      if (row?.status === 'streaming' && row.port === source.port) return;
      if (row) last = `WAL receiver ${row.status} from port ${row.port}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(100);
  }
  throw new TopologyError(`${replica.id} does not stream from ${source.id} after ${timeoutMs} ms (${last}); see ${replica.logFile}`);
}
