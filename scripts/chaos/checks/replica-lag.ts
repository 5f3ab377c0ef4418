// --scenario replica-lag: replay paused on a replica under writes.
import * as local from '../../../tools/topology/local-topology';
import type { Check } from '../context';
import { endpointOf } from '../service-client';
import { ok, readRegion, seconds, targetReplica, Traffic, until } from '../support';

export const replicaLag: Check = async (ctx, rec) => {
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
  // The service re-probes a replica on its group's interval only: ask for rounds so it sees the current state.
  const observe = async () => {
    await service.nudgeHealthRound();
    return endpointOf(await service.status(), id);
  };
  try {
    const seen = await progress.step(rec.name, `service sees replay paused on ${id}`, () =>
      until(`replay paused on ${id}`, async () => {
        const e = await observe();
        return e.replayPaused && (e.replicationLagBytes ?? 0) > 0 && e;
      }, options.timeoutMs, pausedAt),
    );
    rec.timing('paused replay seen', seen.ms);
    rec.expect(true, `the service reports replay paused on ${id}, ${seen.value.replicationLagBytes} bytes behind, ${seconds(seen.ms)} after the pause (health rounds requested every 5 s)`);
    // Past the router's default freshness bound (ROUTER_DEFAULT_MAX_LAG_MS, 5 s), reads must go elsewhere.
    const stale = await progress.step(rec.name, `${id} more than 5 s behind`, () =>
      until(`${id} 5 s behind`, async () => {
        const e = await observe();
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
      const e = await observe();
      return !e.replayPaused && e.replicationLagBytes === 0;
    }, options.timeoutMs, resumedAt),
  );
  rec.timing('catch-up seen', caughtUp.ms);
  rec.expect(true, `the service saw ${id} caught up ${seconds(caughtUp.ms)} after replay resumed (health rounds requested every 5 s)`);
};
