import type { EndpointConfig } from '../config/topology.types';
import type { EndpointHealth } from './endpoint-health';
import type { ProbeSample } from './endpoint-prober';
import type { ReplicaLag } from './replication-lag';
import type { Verdict } from './verdict';

export function initialHealth(endpoint: EndpointConfig): EndpointHealth {
  return {
    id: endpoint.id,
    group: endpoint.group,
    region: endpoint.region,
    isHealthy: false,
    role: 'unknown',
    readOnly: false,
    timeline: null,
    latencyMs: null,
    smoothedLatencyMs: null,
    replayLsn: null,
    currentLsn: null,
    replicationLagBytes: null,
    replicationLagMs: null,
    replayPaused: false,
    lastCheckAt: null,
    lastError: null,
    consecutiveFailures: 0,
    consecutiveSuccesses: 0,
  };
}

/**
 * The endpoint's health after one probe. What an unreachable server last reported (role, positions) is
 * kept: failover needs the last known replay position of a replica; `isHealthy` says it is stale.
 */
export function applyProbe(previous: EndpointHealth, sample: ProbeSample, verdict: Verdict): EndpointHealth {
  const judged = {
    isHealthy: verdict.status === 'up',
    lastCheckAt: new Date(sample.at).toISOString(),
    consecutiveFailures: verdict.consecutiveFailures,
    consecutiveSuccesses: verdict.consecutiveSuccesses,
  };
  if (!sample.reachable) return { ...previous, ...judged, lastError: sample.error };
  return {
    ...previous,
    ...judged,
    role: sample.inRecovery ? 'replica' : 'primary',
    readOnly: sample.readOnly,
    timeline: sample.timeline,
    replayLsn: sample.inRecovery ? sample.lsn : null,
    currentLsn: sample.inRecovery ? null : sample.lsn,
    // A primary has no lag of its own; a replica's is set against its primary by `withReplay`.
    replicationLagBytes: sample.inRecovery ? previous.replicationLagBytes : null,
    replicationLagMs: sample.inRecovery ? previous.replicationLagMs : null,
    replayPaused: sample.replayPaused,
    lastError: null,
  };
}

/** A replica's replay position read between probes, and its lag then. */
export function withReplay(health: EndpointHealth, replayLsn: string | null, lag: ReplicaLag | null): EndpointHealth {
  return { ...health, replayLsn, replicationLagBytes: lag?.bytes ?? null, replicationLagMs: lag?.ms ?? null };
}

/** One more round trip measured (a probe or a lag refresh), and the RTT routing uses now (`RoundTripWindow`). */
export function withRoundTrip(health: EndpointHealth, latencyMs: number, routingMs: number): EndpointHealth {
  return { ...health, latencyMs: round(latencyMs), smoothedLatencyMs: round(routingMs) };
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
