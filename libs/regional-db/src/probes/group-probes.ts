import { checkPrimary, GroupSnapshot, readReplicas } from './group-readiness';

/** The answer of one per-group probe: up (200) or down (503), the endpoints that serve, and why not. */
export interface GroupProbe {
  group: string;
  check: 'primary' | 'replica' | 'read-only';
  status: 'up' | 'down';
  endpoints: string[];
  maxLagMs?: number | null;
  reason?: string;
}

export function primaryProbe(snapshot: GroupSnapshot): GroupProbe {
  const primary = checkPrimary(snapshot);
  return probe(snapshot, 'primary', primary.writable ? [primary.primary!] : [], primary.reason ?? undefined);
}

export function replicaProbe(snapshot: GroupSnapshot, maxLagMs: number | null): GroupProbe {
  const replicas = readReplicas(snapshot, maxLagMs);
  const bound = maxLagMs === null ? '' : ` within ${maxLagMs} ms of lag`;
  return { ...probe(snapshot, 'replica', replicas, `no replica${bound} serves reads`), maxLagMs };
}

/** Anything that serves the group's reads: its writable primary or any replica. */
export function readOnlyProbe(snapshot: GroupSnapshot): GroupProbe {
  const primary = checkPrimary(snapshot);
  const serving = [...(primary.writable ? [primary.primary!] : []), ...readReplicas(snapshot, null)];
  return probe(snapshot, 'read-only', serving, 'no endpoint serves reads');
}

function probe(snapshot: GroupSnapshot, check: GroupProbe['check'], endpoints: string[], whyNot: string | undefined): GroupProbe {
  const up = endpoints.length > 0;
  return { group: snapshot.group, check, status: up ? 'up' : 'down', endpoints, ...(up ? {} : { reason: whyNot }) };
}
