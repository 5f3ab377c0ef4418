import { allGroups } from '../config/topology.types';
import type { EndpointConfig, Topology } from '../config/topology.types';
import type { EndpointHealth } from '../health/endpoint-health';
import type { LagSample } from '../health/replication-lag';
import type { TopologyStateService } from '../topology-state/topology-state.service';
import { haversineKm } from './geo';
import { parseLsn } from '../database/lsn';
import { ReplicaCandidate, replicaRoles, roleBits } from './replica-selector';

/** The part of the health monitor routing reads and feeds. */
export interface EndpointHealthSource {
  health(endpointId: string): EndpointHealth | undefined;
  replicaLag(endpointId: string): LagSample | null;
  reportQuerySuccess(endpointId: string, latencyMs: number): void;
  reportQueryFailure(endpointId: string, error: unknown): void;
  /** `probe` follows every change of an endpoint's health, `lag` every refresh of a group's replica lag. */
  readonly events: { on(event: 'probe' | 'lag', listener: (event: { group: string }) => void): unknown };
}

interface LiveCandidate extends ReplicaCandidate {
  /** The text `replayLsn` was parsed from, so an unchanged position is not parsed again. */
  replayLsnText: string | null;
}

export interface GroupRoutes {
  readonly name: string;
  readonly candidates: readonly ReplicaCandidate[];
  readonly byId: ReadonlyMap<string, ReplicaCandidate>;
  /** Advanced per decision; rotates among equal replicas. */
  turn: number;
  /** Health or topology state changed since the candidates were last refreshed. */
  stale: boolean;
}

/**
 * Per replication group, one candidate object per endpoint, built once (distances from every region, role
 * bits) and refreshed in place from the topology state and the health monitor when either announces a change,
 * so a routing decision reads no more than its own group's candidates.
 */
export class RoutingTable {
  private readonly groups = new Map<string, GroupRoutes>();
  private readonly regionIndexes = new Map<string, number>();

  constructor(
    topology: Topology,
    private readonly state: TopologyStateService,
    private readonly health: EndpointHealthSource,
  ) {
    topology.regions.forEach((region, index) => this.regionIndexes.set(region.name, index));
    const locationOf = (name: string) => topology.regions[this.regionIndexes.get(name)!].location;
    for (const group of allGroups(topology)) {
      const candidates: LiveCandidate[] = [group.primary, ...group.replicas].map((endpoint: EndpointConfig) => ({
        id: endpoint.id,
        roleBits: roleBits(replicaRoles(endpoint, group)),
        distanceKm: topology.regions.map((from) => haversineKm(from.location, locationOf(endpoint.region))),
        isPrimary: false,
        available: true,
        smoothedLatencyMs: null,
        lag: null,
        replayLsn: null,
        replayLsnText: null,
        outstanding: 0,
      }));
      this.groups.set(group.name, { name: group.name, candidates, byId: new Map(candidates.map((c) => [c.id, c])), turn: 0, stale: true });
    }
    const markStale = ({ group }: { group: string }) => {
      const routes = this.groups.get(group);
      if (routes) routes.stale = true;
    };
    health.events.on('probe', markStale);
    health.events.on('lag', markStale);
    state.events.on('primary-changed', markStale);
  }

  group(name: string): GroupRoutes | undefined {
    return this.groups.get(name);
  }

  /** Index of a region for `SelectionRequest.callerRegion` (-1: unknown, every distance then counts as 0). */
  regionIndex(region: string): number {
    return this.regionIndexes.get(region) ?? -1;
  }

  /** Brings the group's candidates up to date if anything changed. Before the monitor's first verdict an endpoint counts as up. */
  refresh(group: GroupRoutes): void {
    if (!group.stale) return;
    group.stale = false;
    const { primaryId, fenced } = this.state.state(group.name);
    for (const candidate of group.candidates as LiveCandidate[]) {
      const isPrimary = candidate.id === primaryId;
      const health = this.health.health(candidate.id);
      const judged = health !== undefined && health.lastCheckAt !== null;
      candidate.isPrimary = isPrimary;
      // A writable server that is not the group's primary is a stale or split-brain primary: never read it.
      candidate.available = !fenced.includes(candidate.id) && (!judged || (health.isHealthy && (isPrimary || health.role !== 'primary')));
      candidate.smoothedLatencyMs = health?.smoothedLatencyMs ?? null;
      candidate.lag = this.health.replicaLag(candidate.id);
      const replayText = health?.replayLsn ?? null;
      if (replayText !== candidate.replayLsnText) {
        candidate.replayLsnText = replayText;
        candidate.replayLsn = parseLsn(replayText);
      }
    }
  }
}
