// --scenario region-outage: every server located in one region stopped.
import * as local from '../../../tools/topology/local-topology';
import type { Check } from '../context';
import { describeReply, endpointOf, groupOf } from '../service-client';
import { ok, serviceSeesHealthy, until } from '../support';

export const regionOutage: Check = async (ctx, rec) => {
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
  rec.expect(ready.status === 200 && ready.body?.groups?.[region]?.status === 'lost', `/health/ready ${ready.status} (the instance serves the other regions), reporting ${region} lost`);
  const lostWrite = await service.write(region);
  rec.expect(lostWrite.status === 503, `a write in ${region} is refused with a clear 503, not a 500 (${describeReply(lostWrite)})`);
  const otherWrite = await service.write(other);
  const otherRead = await service.read(other);
  rec.expect(ok(otherWrite) && ok(otherRead), `${other} unaffected: write ${describeReply(otherWrite)}, read ${describeReply(otherRead)}`);

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
