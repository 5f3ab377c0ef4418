// --test-health-check: live, ready, a health round, every endpoint healthy, primaries as the servers say, a read per region.
import * as local from '../../../tools/topology/local-topology';
import type { Check } from '../context';
import { describeReply } from '../service-client';

export const healthCheck: Check = async (ctx, rec) => {
  const { service, progress } = ctx;
  rec.title = 'service live and ready, every endpoint healthy, primaries agree with the servers';
  const live = await service.live();
  rec.expect(live.status === 200, `GET /health/live ${describeReply(live)}`);
  const ready = await service.ready();
  const impaired = (ready.body?.impaired ?? []).map((group) => `${group}: ${ready.body?.groups?.[group]?.reason ?? ready.body?.groups?.[group]?.status}`);
  rec.expect(ready.status === 200 && impaired.length === 0, `GET /health/ready ${ready.status}${impaired.length ? ` (${impaired.join('; ')})` : ''}`);

  const round = await progress.step(rec.name, 'health round (POST /api/database/health-check)', () => service.healthCheck());
  if (rec.expect(round.status === 200, `POST /api/database/health-check ${describeReply(round)}`)) {
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
    rec.expect(read.status === 200, `routed read in ${group.name}: GET /api/feed ${describeReply(read)} in ${read.ms.toFixed(0)} ms`);
  }
};
