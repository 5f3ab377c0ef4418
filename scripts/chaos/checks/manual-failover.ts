// --test-manual-failover: POST /api/database/failover/<group>, a planned switchover.
import type { Check } from '../context';
import { describeReply, groupOf } from '../service-client';
import { failoverGroup, ok, readRegion, restoreFormerPrimary, seconds, until } from '../support';

export const manualFailover: Check = async (ctx, rec) => {
  const { service, progress, options } = ctx;
  const before = await service.status();
  const group = failoverGroup(ctx, before);
  const former = group.primary!;
  const region = readRegion(before, group);
  rec.title = `POST /api/database/failover/${group.name}: planned switchover away from ${former}`;
  await progress.step(rec.name, `a writer user in ${region}`, () => service.prepareWriter(region));
  let promoted: string | null = null;
  restoreFormerPrimary(ctx, rec, former, () => promoted);

  const startedAt = Date.now();
  const reply = await progress.step(rec.name, `POST /api/database/failover/${group.name}`, () => service.failover(group.name));
  if (!rec.expect(reply.status === 200 && reply.body.success, `failover answered ${reply.status}: ${reply.body.message ?? describeReply(reply)}`)) return;
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
  rec.expect(ok(read), `a read in ${region}: ${describeReply(read)}`);
};
