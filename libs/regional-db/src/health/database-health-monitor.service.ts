import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { EventEmitter } from 'node:events';
import { InjectTopology } from '../config/topology.module';
import { inBackground } from '../logging/background';
import { ConcurrencyLimit } from '../common/concurrency-limit';
import { logFields } from '../logging/log-fields';
import { redactSecrets } from '../config/redact';
import { allGroups } from '../config/topology.types';
import type { EndpointConfig, ReplicationGroupConfig, SslMode, Topology } from '../config/topology.types';
import { InstanceIdentity } from '../database/instance-identity';
import { EndpointRegistry } from '../database/endpoint-registry';
import type { ConnectionErrorEvent } from '../database/endpoint-registry';
import { UnknownEndpointError } from '../database/unknown-endpoint.error';
import { parseLsn } from '../database/lsn';
import { TopologyStateService } from '../topology-state/topology-state.service';
import type { PrimaryChange } from '../topology-state/topology-state.service';
import { isConnectionError, isEndpointFault } from './connection-errors';
import { ProbeHistory, ProbeRecord, ProbeStats, TrafficStats, TrafficWindow } from './endpoint-metrics';
import { EndpointProber, PositionSample, ProbeSample, ServerState } from './endpoint-prober';
import type { EndpointHealth } from './endpoint-health';
import { applyProbe, initialHealth, withReplay, withRoundTrip } from './health-snapshot';
import { InjectHealthSettings } from './health.settings';
import type { HealthSettings } from './health.settings';
import { LagSample, lagSample, PrimaryLsnHistory, reportedLag } from './replication-lag';
import { RoundTripWindow } from './round-trip-window';
import { EndpointStatus, INITIAL_VERDICT, isSettled, nextVerdict, Verdict } from './verdict';

export interface EndpointHealthEvent {
  endpointId: string;
  group: string;
  health: EndpointHealth;
}

export interface ProbeEvent extends EndpointHealthEvent {
  reachable: boolean;
  latencyMs: number;
  error: string | null;
}

/** Pause between re-probes of an endpoint whose last probe was refused outright (ECONNREFUSED), or after a live failure. */
const REFUSED_RETRY_MS = 50;

const isRefused = (error: string | null) => error !== null && error.includes('ECONNREFUSED');

export interface ProbeOutcome {
  endpointId: string;
  group: string;
  reachable: boolean;
  latencyMs: number;
  error: string | null;
  status: EndpointStatus;
  isHealthy: boolean;
}

export interface RoundResult {
  startedAt: string;
  durationMs: number;
  groups: string[];
  probes: ProbeOutcome[];
}

export interface HealthEvents {
  'endpoint-down': [EndpointHealthEvent];
  'endpoint-up': [EndpointHealthEvent];
  probe: [ProbeEvent];
  round: [RoundResult];
  /** The group's replica lag was refreshed (between rounds, about every `lagRefreshMs`). */
  lag: [{ group: string }];
}

export interface EndpointMetrics {
  endpointId: string;
  group: string;
  region: string;
  role: EndpointHealth['role'];
  status: EndpointStatus;
  isHealthy: boolean;
  latencyMs: number | null;
  smoothedLatencyMs: number | null;
  probes: ProbeStats;
  recentProbes: ProbeRecord[];
  traffic: TrafficStats;
  replicationLagBytes: number | null;
  replicationLagMs: number | null;
  replayPaused: boolean;
  replayTimestampAgeMs: number | null;
  lastCheckAt: string | null;
}

interface TrackedEndpoint {
  config: EndpointConfig;
  group: TrackedGroup;
  prober: EndpointProber;
  /** Its own connection, so a lag refresh never queues behind (or times out) a probe. */
  positions: EndpointProber;
  verdict: Verdict;
  /** Replaced, never mutated: callers may keep the object they were given. */
  health: EndpointHealth;
  probes: ProbeHistory;
  roundTrips: RoundTripWindow;
  traffic: TrafficWindow;
  /** Last full answer of the server (metrics). */
  lastAnswer: Extract<ProbeSample, { reachable: true }> | null;
  /** Last replay position read from it as a replica (by a probe or a lag refresh), for lag against the primary's. */
  replay: { at: number; lsn: bigint; text: string } | null;
  lag: LagSample | null;
  inFlight: Promise<ProbeOutcome> | null;
  lastProbeEndedAt: number;
  confirming: boolean;
}

interface TrackedGroup {
  config: ReplicationGroupConfig;
  endpoints: TrackedEndpoint[];
  primaryLsns: PrimaryLsnHistory;
  round: Promise<RoundResult> | null;
  lagRefresh: Promise<void> | null;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Probes every endpoint on its group's schedule, all in parallel and each bounded, and keeps a debounced
 * verdict, the server's real role and position, replication lag against the group's current primary, and
 * bounded latency/traffic statistics. Live query failures reported by the router, or a probe connection
 * dropped by the server, trigger re-probes every `fastRetryMs` until the verdict is settled.
 */
@Injectable()
export class DatabaseHealthMonitorService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(DatabaseHealthMonitorService.name);
  private readonly endpoints = new Map<string, TrackedEndpoint>();
  private readonly groups: TrackedGroup[];
  private round: Promise<RoundResult> | null = null;
  private stopped = false;
  readonly events = new EventEmitter<HealthEvents>();

  constructor(
    @InjectTopology() topology: Topology,
    private readonly state: TopologyStateService,
    private readonly registry: EndpointRegistry,
    private readonly scheduler: SchedulerRegistry,
    @InjectHealthSettings() readonly settings: HealthSettings,
    identity: InstanceIdentity,
  ) {
    const startedAt = Date.now();
    // A cold start of a thousand endpoints opens their connections in waves, not a thousand handshakes at once.
    const gate = new ConcurrencyLimit(settings.connectConcurrency);
    const prober = (endpoint: EndpointConfig, ssl: SslMode, tracked: () => TrackedEndpoint) =>
      new EndpointProber(endpoint, topology.pool, ssl, identity.applicationName('health'), gate, settings.connectTimeoutMs, () => this.suspect(tracked(), true));
    this.groups = allGroups(topology).map((config) => {
      const group: TrackedGroup = { config, endpoints: [], primaryLsns: new PrimaryLsnHistory(), round: null, lagRefresh: null };
      for (const endpoint of [config.primary, ...config.replicas]) {
        const tracked: TrackedEndpoint = {
          config: endpoint,
          group,
          prober: prober(endpoint, config.ssl, () => tracked),
          positions: prober(endpoint, config.ssl, () => tracked),
          verdict: INITIAL_VERDICT,
          health: initialHealth(endpoint),
          probes: new ProbeHistory(),
          roundTrips: new RoundTripWindow(),
          traffic: new TrafficWindow(startedAt),
          lastAnswer: null,
          replay: null,
          lag: null,
          inFlight: null,
          lastProbeEndedAt: 0,
          confirming: false,
        };
        group.endpoints.push(tracked);
        this.endpoints.set(endpoint.id, tracked);
      }
      return group;
    });
  }

  /** A first round before anything routes, then each group on its own interval. */
  async onModuleInit(): Promise<void> {
    this.registry.events.on('connection-error', ({ endpointId, error }: ConnectionErrorEvent) => this.reportQueryFailure(endpointId, error));
    // A new primary: probe the group now so replica lag is measured against it.
    this.state.events.on('primary-changed', ({ group }: PrimaryChange) => {
      const tracked = this.groups.find((g) => g.config.name === group);
      if (tracked) void this.groupRound(tracked);
    });
    await this.runRound();
    for (const group of this.groups) {
      const timer = setInterval(() => void this.groupRound(group), group.config.healthIntervalMs);
      this.scheduler.addInterval(this.intervalName(group), timer);
      const lagTimer = setInterval(() => void this.refreshLag(group), this.settings.lagRefreshMs);
      this.scheduler.addInterval(this.lagIntervalName(group), lagTimer);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const group of this.groups) {
      for (const name of [this.intervalName(group), this.lagIntervalName(group)]) {
        if (this.scheduler.doesExist('interval', name)) this.scheduler.deleteInterval(name);
      }
    }
    await Promise.all([...this.endpoints.values()].flatMap((t) => [t.prober.close(), t.positions.close()]));
  }

  /** @throws UnknownEndpointError */
  health(endpointId: string): EndpointHealth {
    return this.tracked(endpointId).health;
  }

  getHealthStatus(): Map<string, EndpointHealth> {
    return new Map([...this.endpoints].map(([id, t]) => [id, t.health]));
  }

  /** The replica's last lag reading, for routing to judge at query time; null until one is known. */
  replicaLag(endpointId: string): LagSample | null {
    return this.tracked(endpointId).lag;
  }

  verdict(endpointId: string): Verdict {
    return this.tracked(endpointId).verdict;
  }

  traffic(endpointId: string): TrafficStats {
    return this.tracked(endpointId).traffic.stats(Date.now());
  }

  metrics(endpointId: string, limit: number): EndpointMetrics {
    const t = this.tracked(endpointId);
    const h = t.health;
    return {
      endpointId: h.id,
      group: h.group,
      region: h.region,
      role: h.role,
      status: t.verdict.status,
      isHealthy: h.isHealthy,
      latencyMs: h.latencyMs,
      smoothedLatencyMs: h.smoothedLatencyMs,
      probes: t.probes.stats(),
      recentProbes: t.probes.recent(limit),
      traffic: t.traffic.stats(Date.now()),
      replicationLagBytes: h.replicationLagBytes,
      replicationLagMs: h.replicationLagMs,
      replayPaused: h.replayPaused,
      replayTimestampAgeMs: t.lastAnswer?.replayTimestampAgeMs ?? null,
      lastCheckAt: h.lastCheckAt,
    };
  }

  endpointIds(): string[] {
    return [...this.endpoints.keys()];
  }

  /** Router hot path: O(1), no allocation. */
  reportQuerySuccess(endpointId: string, latencyMs: number): void {
    this.tracked(endpointId).traffic.record(Date.now(), latencyMs, false);
  }

  /** A live query failed; a connection-level failure gets the endpoint re-probed at once. */
  reportQueryFailure(endpointId: string, error: unknown): void {
    const tracked = this.tracked(endpointId);
    const connectionLost = isConnectionError(error);
    tracked.traffic.record(Date.now(), null, connectionLost || isEndpointFault(error));
    // Re-probes run outside the request that saw the failure: their lines are not that request's.
    if (connectionLost) inBackground(() => this.suspect(tracked, true));
  }

  /** One probe of every endpoint, in parallel; a caller arriving while a round runs shares it. */
  runRound(): Promise<RoundResult> {
    this.round ??= this.combine(this.groups).finally(() => (this.round = null));
    return this.round;
  }

  /** Probes one endpoint now (sharing a probe already in flight). */
  probe(endpointId: string): Promise<ProbeOutcome> {
    const tracked = this.tracked(endpointId);
    tracked.inFlight ??= this.runProbe(tracked).finally(() => (tracked.inFlight = null));
    return tracked.inFlight;
  }

  private async combine(groups: TrackedGroup[]): Promise<RoundResult> {
    const started = Date.now();
    const results = await Promise.all(groups.map((g) => this.groupRound(g)));
    return {
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      groups: groups.map((g) => g.config.name),
      probes: results.flatMap((r) => r.probes),
    };
  }

  /** Never rejects and never overlaps itself: a tick arriving while the group's round runs shares it. */
  private groupRound(group: TrackedGroup): Promise<RoundResult> {
    group.round ??= (async () => {
      const started = Date.now();
      const probes = await Promise.all(group.endpoints.map((t) => this.probe(t.config.id)));
      const result = { startedAt: new Date(started).toISOString(), durationMs: Date.now() - started, groups: [group.config.name], probes };
      if (!this.stopped) this.emit('round', result);
      return result;
    })().finally(() => (group.round = null));
    return group.round;
  }

  private async runProbe(t: TrackedEndpoint): Promise<ProbeOutcome> {
    const sample = await t.prober.probe(this.settings.probeTimeoutMs);
    t.lastProbeEndedAt = Date.now();
    if (!this.stopped) {
      try {
        this.record(t, sample);
      } catch (error) {
        // Whatever goes wrong with one result, the loop goes on.
        this.logger.error(`recording a probe of ${t.config.id}: ${redactSecrets(String((error as Error)?.stack ?? error))}`);
      }
    }
    return {
      endpointId: t.config.id,
      group: t.config.group,
      reachable: sample.reachable,
      latencyMs: Math.round(sample.latencyMs * 100) / 100,
      error: sample.reachable ? null : sample.error,
      status: t.verdict.status,
      isHealthy: t.health.isHealthy,
    };
  }

  private record(t: TrackedEndpoint, sample: ProbeSample): void {
    const before = t.verdict.status;
    t.verdict = nextVerdict(t.verdict, sample.reachable, this.settings);
    t.probes.push(sample.at, sample.latencyMs, sample.reachable);
    t.health = applyProbe(t.health, sample, t.verdict);
    if (sample.reachable) {
      t.lastAnswer = sample;
      this.recordRoundTrip(t, sample.latencyMs);
      this.observePosition(t, sample);
    }

    const event = { endpointId: t.config.id, group: t.config.group, health: t.health };
    this.emit('probe', { ...event, reachable: sample.reachable, latencyMs: sample.latencyMs, error: sample.reachable ? null : sample.error });
    const after = t.verdict.status;
    if (after === 'down' && before !== 'down') {
      this.logger.warn({ msg: `${t.config.id} is down after ${t.verdict.consecutiveFailures} failed probes: ${t.health.lastError}`, ...logFields(t.config.region, t.config.id) });
      this.emit('endpoint-down', event);
    } else if (after === 'up' && before !== 'up') {
      if (before === 'down') this.logger.log({ msg: `${t.config.id} is up again after ${t.verdict.consecutiveSuccesses} good probes`, ...logFields(t.config.region, t.config.id) });
      this.emit('endpoint-up', event);
    }
    if (!isSettled(t.verdict, sample.reachable)) this.suspect(t, false);
  }

  /**
   * Between rounds: the primary's current position, then every replica's replay position, each on its own
   * connection and bounded by half the refresh period, at most one refresh per group in flight (a frozen
   * server never piles them up). A reading that disagrees with the verdict (a replica answering while down,
   * or silent while up) gets the endpoint re-probed now, so it is judged in seconds, not at the next round.
   */
  private refreshLag(group: TrackedGroup): Promise<void> {
    group.lagRefresh ??= (async () => {
      const timeoutMs = Math.min(this.settings.probeTimeoutMs, Math.max(50, this.settings.lagRefreshMs / 2));
      const primaryId = this.state.primaryOf(group.config.name);
      const primary = group.endpoints.find((t) => t.config.id === primaryId);
      if (primary) this.recordPosition(primary, await primary.positions.position(timeoutMs));
      const replicas = group.endpoints.filter((t) => t !== primary);
      await Promise.all(replicas.map(async (t) => this.recordPosition(t, await t.positions.position(timeoutMs))));
      if (!this.stopped) this.emit('lag', { group: group.config.name });
    })()
      .catch((error) => this.logger.error(`refreshing the lag of ${group.config.name}: ${redactSecrets(String((error as Error)?.stack ?? error))}`))
      .finally(() => (group.lagRefresh = null));
    return group.lagRefresh;
  }

  private recordPosition(t: TrackedEndpoint, sample: PositionSample): void {
    if (this.stopped) return;
    if (sample.reachable) {
      this.recordRoundTrip(t, sample.latencyMs);
      this.observePosition(t, sample);
    }
    if (sample.reachable !== (t.verdict.status === 'up')) this.suspect(t, true);
  }

  private recordRoundTrip(t: TrackedEndpoint, latencyMs: number): void {
    t.roundTrips.push(latencyMs);
    t.health = withRoundTrip(t.health, latencyMs, t.roundTrips.min()!);
  }

  /**
   * A position a server reported. The group's current primary (per the topology state) answering as a primary
   * sets the position lag is measured against, for every replica; a replica's own replay position, its lag.
   */
  private observePosition(t: TrackedEndpoint, sample: Pick<ServerState, 'inRecovery' | 'lsn'> & { at: number }): void {
    const lsn = parseLsn(sample.lsn);
    if (!sample.inRecovery) {
      t.replay = null;
      t.lag = null;
      if (this.state.primaryOf(t.config.group) !== t.config.id || lsn === null) return;
      t.group.primaryLsns.record(t.config.id, sample.at, lsn);
      for (const other of t.group.endpoints) if (other !== t) this.updateLag(other);
      return;
    }
    // A probe and a refresh may finish out of order: the later reading wins.
    if (lsn === null || (t.replay && t.replay.at > sample.at)) return;
    t.replay = { at: sample.at, lsn, text: sample.lsn! };
    this.updateLag(t);
  }

  /** A replica's lag: its last replay position against the positions known now of its group's current primary. */
  private updateLag(t: TrackedEndpoint): void {
    const replay = t.replay;
    if (!replay) return;
    const history = t.group.primaryLsns;
    const current = history.primaryId === this.state.primaryOf(t.config.group) ? history.all() : [];
    t.lag = lagSample(current, replay.lsn, replay.at, 2 * this.settings.lagRefreshMs);
    t.health = withReplay(t.health, replay.text, reportedLag(t.lag));
  }

  /**
   * Re-probes every `fastRetryMs` until the verdict agrees with the probes (confirmed down, or back up), at
   * most one loop per endpoint and a bounded number of probes, then leaves it to the schedule again.
   */
  private suspect(t: TrackedEndpoint, now: boolean): void {
    if (t.confirming || this.stopped) return;
    t.confirming = true;
    void this.confirm(t, now)
      .catch((error) => this.logger.error(`re-probing ${t.config.id}: ${redactSecrets(String(error))}`))
      .finally(() => (t.confirming = false));
  }

  private async confirm(t: TrackedEndpoint, now: boolean): Promise<void> {
    // A probe in flight may have started before the failure that was reported: it proves nothing.
    if (now && t.inFlight) await t.inFlight;
    const bound = 3 * Math.max(this.settings.failuresToDown, this.settings.successesToUp);
    let pause = this.settings.fastRetryMs;
    for (let i = 0; i < bound; i++) {
      // A live query just failed: the first probe goes at once (spaced a little from the previous one).
      const wait = now && i === 0 ? t.lastProbeEndedAt + REFUSED_RETRY_MS - Date.now() : pause;
      if (wait > 0) await sleep(wait);
      if (this.stopped) return;
      const outcome = await this.probe(t.config.id);
      if (isSettled(t.verdict, outcome.reachable)) return;
      // A refused connection is no blip: nothing listens on that port any more. Confirming it takes a few
      // cheap tries in quick succession, not the full pause (a restart in progress is caught by the last look).
      pause = isRefused(outcome.error) ? Math.min(this.settings.fastRetryMs, REFUSED_RETRY_MS) : this.settings.fastRetryMs;
    }
  }

  private emit<K extends keyof HealthEvents>(name: K, ...args: HealthEvents[K]): void {
    try {
      (this.events.emit as (name: K, ...args: HealthEvents[K]) => boolean)(name, ...args);
    } catch (error) {
      this.logger.error(`a '${name}' listener failed: ${redactSecrets(String((error as Error)?.stack ?? error))}`);
    }
  }

  private tracked(endpointId: string): TrackedEndpoint {
    const tracked = this.endpoints.get(endpointId);
    if (!tracked) throw new UnknownEndpointError(endpointId, [...this.endpoints.keys()]);
    return tracked;
  }

  private intervalName(group: TrackedGroup): string {
    return `health-round:${group.config.name}`;
  }

  private lagIntervalName(group: TrackedGroup): string {
    return `lag-refresh:${group.config.name}`;
  }
}
