// --scenario high-load: concurrent reads and writes over every region.
import type { Check } from '../context';
import { describeReply } from '../service-client';
import { ok, sleep } from '../support';

export const highLoad: Check = async (ctx, rec) => {
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
          else failures.push(`${kind} ${region}: ${describeReply(reply)}`);
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
