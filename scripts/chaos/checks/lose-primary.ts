// --scenario primary-failure (kill -9) and network-partition (SIGSTOP): the primary lost under reads and writes.
import * as local from '../../../tools/topology/local-topology';
import type { ChaosContext } from '../context';
import type { CheckRecorder } from '../report';
import { describeReply, groupOf } from '../service-client';
import { failoverGroup, isFenced, readRegion, restoreFormerPrimary, seconds, serverUrl, sleep, Traffic, until } from '../support';

/** Kill or freeze the primary under reads and writes; measures detection, promotion and the first write. */
export async function losePrimary(ctx: ChaosContext, rec: CheckRecorder, how: 'kill' | 'freeze'): Promise<void> {
  const { service, progress, options } = ctx;
  const before = await service.status();
  const group = failoverGroup(ctx, before);
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
          return g.primary !== null && g.primary !== former ? g : null;
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
    const done = await progress.step(rec.name, 'failover finished', () =>
      until('the failover to finish', async () => !groupOf(await service.status(), group.name).failoverRunning, options.timeoutMs, brokeAt),
    );
    rec.timing('failover finished', done.ms);
  } finally {
    const w = await writes.stop();
    const r = await reads.stop();
    rec.expect(r.failed === 0, `${r.ok}/${r.ok + r.failed} reads in ${region} succeeded throughout${r.firstFailure ? ` (first failure: ${r.firstFailure})` : ''}`);
    // Writes cannot succeed without a primary; they must be refused as the localized outage they are (503).
    const unclean = w.failures.filter((f) => f.status !== 503);
    rec.expect(
      unclean.length === 0,
      `${w.ok} writes succeeded; ${w.failures.length} refused while there was no primary, ${unclean.length ? `${unclean.length} of them not with a 503 (first: ${describeReply(unclean[0])})` : 'all with a clean 503'}`,
    );
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
    const fenced = await progress.step(rec.name, `${former} fenced once awake`, () => until(`${former} fenced`, () => isFenced(url), options.timeoutMs));
    rec.expect(true, `${former} fenced once awake (its database accepts no connection) after ${seconds(fenced.ms)}: no split brain`);
  }
}
