// --test-simulated-failure: kill -9 of a replica; the service marks it down, reads go on; restarted.
import * as local from '../../../tools/topology/local-topology';
import type { Check } from '../context';
import { endpointOf, groupOf } from '../service-client';
import { readRegion, seconds, serviceSeesHealthy, sleep, targetReplica, Traffic, until } from '../support';

export const simulatedFailure: Check = async (ctx, rec) => {
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
