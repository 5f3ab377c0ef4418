import { EndpointConfig, ReplicationGroupConfig } from '../config/topology.types';
import { parseLsn } from '../database/lsn';

/** What failover learned of one replica just before choosing. */
export interface ReplicaPosition {
  endpoint: EndpointConfig;
  reachable: boolean;
  inRecovery: boolean;
  /** Highest WAL position the replica holds (received, or replayed when nothing is streamed). */
  lsn: string | null;
  fenced: boolean;
}

export interface CandidateChoice {
  candidate: EndpointConfig | null;
  /** Why this one, or why none: shown in alerts and history. */
  reason: string;
  /** Bytes the chosen replica is behind the last known primary position (null when that is unknown). */
  lagBytes: number | null;
  rejected: { id: string; why: string }[];
}

export interface CandidateRules {
  /** Last WAL position the failed primary was seen at (null: unknown, lag bound not applied). */
  primaryLsn: string | null;
  maximumLagBytes: number | null;
  /** A planned switchover or an operator's choice. */
  target?: string;
}

/**
 * Which replica to promote: reachable replicas in recovery, not fenced, within the lag bound; the most
 * advanced WAL position first (loses least), in-region before cross-region DR replicas, then by priority.
 */
export function choosePromotionCandidate(group: ReplicationGroupConfig, positions: ReplicaPosition[], rules: CandidateRules): CandidateChoice {
  const rejected: { id: string; why: string }[] = [];
  const eligible: { position: ReplicaPosition; lsn: bigint; lagBytes: number | null }[] = [];
  for (const position of positions) {
    const id = position.endpoint.id;
    const why = !position.reachable
      ? 'unreachable'
      : !position.inRecovery
        ? 'not a replica'
        : position.fenced
          ? 'fenced'
          : parseLsn(position.lsn) === null
            ? 'no WAL position'
            : rules.target && rules.target !== id
              ? 'not the requested target'
              : null;
    if (why) {
      rejected.push({ id, why });
      continue;
    }
    const lsn = parseLsn(position.lsn)!;
    const primaryLsn = parseLsn(rules.primaryLsn);
    const lagBytes = primaryLsn === null ? null : Math.max(0, Number(primaryLsn - lsn));
    if (lagBytes !== null && rules.maximumLagBytes !== null && lagBytes > rules.maximumLagBytes && !rules.target) {
      rejected.push({ id, why: `${lagBytes} bytes behind (limit ${rules.maximumLagBytes})` });
      continue;
    }
    eligible.push({ position, lsn, lagBytes });
  }
  if (eligible.length === 0) {
    const detail = rejected.map((r) => `${r.id}: ${r.why}`).join('; ') || 'the group has no replicas';
    return { candidate: null, reason: `no replica can be promoted (${detail})`, lagBytes: null, rejected };
  }
  const inRegion = (e: EndpointConfig) => (e.region === group.region ? 0 : 1);
  eligible.sort(
    (a, b) =>
      (a.lsn === b.lsn ? 0 : a.lsn > b.lsn ? -1 : 1) ||
      inRegion(a.position.endpoint) - inRegion(b.position.endpoint) ||
      a.position.endpoint.priority - b.position.endpoint.priority,
  );
  const best = eligible[0];
  const where = inRegion(best.position.endpoint) === 0 ? 'in-region' : `cross-region (${best.position.endpoint.region})`;
  return {
    candidate: best.position.endpoint,
    reason: `${best.position.endpoint.id}: ${where}, most advanced at ${best.position.lsn}`,
    lagBytes: best.lagBytes,
    rejected,
  };
}
