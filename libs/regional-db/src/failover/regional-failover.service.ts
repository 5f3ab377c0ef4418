import { BeforeApplicationShutdown, Injectable, Logger, NotFoundException, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AlertService } from '../alerts/alert.service';
import { logFields } from '../logging/log-fields';
import { InjectTopology } from '../config/topology.module';
import { redactSecrets } from '../config/redact';
import { allGroups } from '../config/topology.types';
import type { ReplicationGroupConfig, Topology } from '../config/topology.types';
import { EndpointRegistry } from '../database/endpoint-registry';
import { RedisService } from '../redis/redis.service';
import { DatabaseHealthMonitorService } from '../health/database-health-monitor.service';
import { MaintenanceService } from '../maintenance/maintenance.service';
import type { FailoverPause } from '../maintenance/maintenance';
import { SharedTopologyState } from '../topology-state/shared-topology-state';
import { PrimaryChange, TopologyStateService } from '../topology-state/topology-state.service';
import { FailoverInProgressError, FailoverUnavailableError } from './failover-errors';
import { FailoverHistory, FailoverHistoryPage } from './failover-history';
import { CoordinationUnavailableError, FailoverLock } from './failover-lock';
import { FailoverRecord, FailoverTrigger } from './failover-record';
import { FailoverQuorum } from './failover-quorum';
import { decidePrimary } from './discovery';
import type { QuorumTally } from './quorum';
import { type FailoverSettings, InjectFailoverSettings } from './failover.settings';
import { choosePromotionCandidate, ReplicaPosition } from './promotion-candidate';
import { FormerPrimaryFence } from './former-primary-fence';
import { ServerAdmins } from './server-admins';

export interface FailoverRequest {
  trigger: FailoverTrigger;
  actor: string;
  /** Promote this endpoint (manual only). */
  target?: string;
  /** Promote a replica located in this region (manual only). */
  targetRegion?: string;
  /** Automatic only: the primary that was seen failing; nothing is done if the group has moved on since. */
  failedPrimary?: string;
}

class FailoverAborted extends Error {}
/** Nothing to do after all: recorded as skipped, no alert. */
class FailoverNotNeeded extends Error {}

/**
 * Detects a failed primary, promotes the best replica for real, re-points the other replicas, switches
 * routing, verifies a write and fences the old primary; one decision across instances through Redis.
 */
@Injectable()
export class RegionalFailoverService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RegionalFailoverService.name);
  private readonly running = new Set<string>();
  private readonly checking = new Set<string>();
  /** When each group's primary first failed a check in the current streak (for detection time). */
  private readonly failingSince = new Map<string, number>();
  private readonly lastAttempt = new Map<string, number>();
  /** Groups whose primary is down here but not yet for a majority of the instances: re-tallied each check. */
  private readonly awaitingQuorum = new Set<string>();
  /** Groups whose primary is down while their automatic failover is paused: re-checked each check, to go on once resumed. */
  private readonly heldByPause = new Set<string>();
  private stopped = false;
  private watch: NodeJS.Timeout | undefined;

  constructor(
    @InjectTopology() private readonly topology: Topology,
    private readonly registry: EndpointRegistry,
    private readonly state: TopologyStateService,
    private readonly shared: SharedTopologyState,
    private readonly monitor: DatabaseHealthMonitorService,
    private readonly alerts: AlertService,
    private readonly lock: FailoverLock,
    private readonly records: FailoverHistory,
    private readonly quorum: FailoverQuorum,
    private readonly admins: ServerAdmins,
    private readonly fence: FormerPrimaryFence,
    private readonly redis: RedisService,
    private readonly maintenance: MaintenanceService,
    @InjectFailoverSettings() private readonly settings: FailoverSettings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await Promise.all(allGroups(this.topology).map((g) => this.discover(g)));
    // Wherever the decision was made (here or by another instance), queries still in flight on the former
    // primary are cut: a frozen one would otherwise hold them until their timeout.
    this.state.events.on('primary-changed', ({ from, to }: PrimaryChange) => {
      if (from && from !== to) void this.registry.get(from).abort();
    });
    this.monitor.events.on('endpoint-down', ({ endpointId }: { endpointId: string }) => this.onEndpointDown(endpointId));
    this.monitor.events.on('probe', (probe: { endpointId: string; reachable: boolean }) => this.onProbe(probe.endpointId, probe.reachable));
    this.watch = setInterval(() => this.checkPrimaries(), this.settings.primaryCheckMs);
    this.watch.unref();
    this.fence.start((group) => this.running.has(group));
    this.redis.events.on('ready', () => this.onCoordinationRestored());
  }

  /** Redis answers again: a primary still down whose failover was withheld for lack of coordination goes now. */
  private onCoordinationRestored(): void {
    for (const { primaryId: id } of this.state.all()) {
      if (id && this.failingSince.has(id) && !this.monitor.health(id).isHealthy) this.onEndpointDown(id);
    }
  }

  beforeApplicationShutdown(): void {
    // A probe still in flight at shutdown must not start a failover from an instance that is leaving; nor may
    // the probes that fail once the pools close (every module's onApplicationShutdown runs after this hook).
    this.stopped = true;
    clearInterval(this.watch);
  }

  isRunning(group: string): boolean {
    return this.running.has(group);
  }

  history(limit: number): Promise<FailoverRecord[]> {
    return this.records.list(limit);
  }

  historyPage(limit: number, offset: number): Promise<FailoverHistoryPage> {
    return this.records.page(limit, offset);
  }

  /** An operator's failover (seed 002's response shape): `{ success, message, failover }`. */
  async manualFailover(group: string, actor: string, target: { targetEndpoint?: string; targetRegion?: string }) {
    const config = this.group(group);
    const members = [config.primary, ...config.replicas];
    if (target.targetEndpoint && !members.some((e) => e.id === target.targetEndpoint)) {
      throw new NotFoundException(`Unknown endpoint "${target.targetEndpoint}" in ${group} (its endpoints: ${members.map((e) => e.id).join(', ')})`);
    }
    if (target.targetRegion && !members.some((e) => e.region === target.targetRegion)) {
      throw new NotFoundException(`${group} has no endpoint located in "${target.targetRegion}"`);
    }
    if (this.state.primaryOf(group) === null && target.targetEndpoint) {
      // After a split brain the operator's target may already be writable: it is picked, not promoted.
      const position = await this.admins.of(this.registry.endpoint(target.targetEndpoint)).position(this.settings.stepTimeoutMs).catch(() => null);
      if (position && !position.inRecovery && !position.fenced) {
        await this.adoptPrimary(config, target.targetEndpoint, actor);
        const state = this.state.state(group);
        return { success: true, message: `${target.targetEndpoint} picked as primary of ${group} (epoch ${state.epoch}); the other writable servers are fenced`, failover: null };
      }
    }
    const record = await this.failover(group, { trigger: 'manual', actor, target: target.targetEndpoint, targetRegion: target.targetRegion });
    const message =
      record.outcome === 'completed'
        ? `Failover of ${group} completed: ${record.to} is primary (epoch ${record.epoch})`
        : `Failover of ${group} ${record.outcome}: ${record.reason}`;
    return { success: record.outcome === 'completed', message, failover: record };
  }

  /** Seed 002's reconnect: new pools for every endpoint of the group, roles re-discovered, health re-probed. */
  async reconnect(group: string) {
    const config = this.group(group);
    const endpoints = [config.primary, ...config.replicas];
    await Promise.all(endpoints.map((e) => this.registry.get(e.id).refresh()));
    await this.discover(config);
    await Promise.all(endpoints.map((e) => this.monitor.probe(e.id)));
    const state = this.state.state(group);
    return {
      success: true,
      message: `Reconnected ${group}: ${endpoints.length} pools recreated, primary ${state.primaryId ?? 'none'} (epoch ${state.epoch})`,
      refreshed: endpoints.map((e) => e.id),
      primary: state.primaryId,
      epoch: state.epoch,
    };
  }

  /** Runs a failover of `group` now; resolves with what happened (also recorded in history). */
  async failover(group: string, request: FailoverRequest): Promise<FailoverRecord> {
    const config = this.group(group);
    let lease;
    let tally: QuorumTally | null = null;
    if (request.trigger === 'automatic') {
      const pause = await this.maintenance.pauseOf(group);
      if (pause) return this.pausedFailover(config, request, pause);
      this.heldByPause.delete(group);
    }
    try {
      if (request.failedPrimary) {
        tally = await this.quorum.vote(group, request.failedPrimary);
        if (!tally.reached) {
          if (!this.awaitingQuorum.has(group)) {
            this.logger.warn({ msg: `${group}: ${request.failedPrimary} is down here; waiting for a majority of instances (${tally.votes.length} of ${tally.needed} needed; live: ${tally.live.join(', ')})`, ...logFields(config.region, request.failedPrimary) });
          }
          this.awaitingQuorum.add(group);
          return this.skipped(group, request, `awaiting quorum: ${tally.votes.length} of ${tally.live.length} live instances see ${request.failedPrimary} down, ${tally.needed} needed`, tally);
        }
        this.awaitingQuorum.delete(group);
      }
      lease = await this.lock.acquire(group, config.failoverTimeoutMs);
    } catch (error) {
      if (!(error instanceof CoordinationUnavailableError)) throw error;
      const message = `Failover of ${group} withheld: ${error.message}; no promotion without coordination`;
      await this.alerts.raise('failover_failed', 'critical', group, message, {}).catch(() => undefined);
      throw new FailoverUnavailableError(error.message);
    }
    if (!lease) {
      if (request.trigger === 'manual') throw new FailoverInProgressError(group);
      return this.skipped(group, request, 'another failover of this group is running');
    }
    this.running.add(group);
    try {
      // Another instance may have decided while this one waited: adopt, never promote twice.
      await this.shared.load(group).catch(() => undefined);
      const before = this.state.state(group);
      if (request.failedPrimary && before.primaryId !== request.failedPrimary) {
        return this.skipped(group, request, `already failed over to ${before.primaryId} (epoch ${before.epoch})`);
      }
      return await this.run(config, request, tally);
    } finally {
      this.running.delete(group);
      await lease.release();
    }
  }

  /** Maintenance mode: the failed primary is left alone (one line per streak), and checked again until resumed. */
  private pausedFailover(config: ReplicationGroupConfig, request: FailoverRequest, pause: FailoverPause): FailoverRecord {
    const reason = `automatic failover paused (maintenance mode, ${pause.scope === '*' ? 'every group' : pause.scope}, by ${pause.by} at ${pause.at})`;
    if (!this.heldByPause.has(config.name)) {
      this.heldByPause.add(config.name);
      this.logger.warn({ msg: `${config.name}: ${request.failedPrimary} is down; ${reason}: nothing promoted until resumed`, ...logFields(config.region, request.failedPrimary ?? '-') });
    }
    return this.skipped(config.name, request, reason);
  }

  private async run(config: ReplicationGroupConfig, request: FailoverRequest, quorum: QuorumTally | null): Promise<FailoverRecord> {
    const group = config.name;
    const started = Date.now();
    const deadline = started + config.failoverTimeoutMs;
    const remaining = () => Math.max(100, deadline - Date.now());
    const step = Math.min(this.settings.stepTimeoutMs, config.failoverTimeoutMs);
    const fromId = this.state.primaryOf(group);
    const from = fromId ? this.registry.endpoint(fromId) : null;
    const record: FailoverRecord = {
      id: randomUUID(),
      group,
      trigger: request.trigger,
      actor: request.actor,
      planned: false,
      from: fromId,
      to: null,
      epoch: null,
      outcome: 'failed',
      reason: '',
      startedAt: new Date(started).toISOString(),
      finishedAt: '',
      durations: { detectionMs: null, selectionMs: null, promotionMs: null, rerouteMs: null, verifyMs: null, repointMs: null, totalMs: 0 },
      lagAtPromotionBytes: null,
      repointed: [],
      fenced: null,
      quorum,
    };
    const since = fromId ? this.failingSince.get(fromId) : undefined;
    if (request.trigger === 'automatic' && since) record.durations.detectionMs = started - since;

    // Only an operator's request asks the old primary (a planned switchover if it answers); an automatic one
    // already knows it is down and must not wait on it (a frozen server answers nothing).
    const fromPosition = request.trigger === 'manual' && from ? await this.admins.of(from).position(step).catch(() => null) : null;
    record.planned = request.trigger === 'manual' && !!fromPosition && !fromPosition.inRecovery && !fromPosition.fenced;
    await this.alerts.raise(
      'failover_triggered',
      request.trigger === 'automatic' ? 'critical' : 'high',
      group,
      `${record.planned ? 'Planned switchover' : 'Failover'} of ${group} started (${request.trigger}, by ${request.actor}); primary was ${fromId ?? 'none'}`,
      { failoverId: record.id },
    );

    let undoFence: (() => Promise<unknown>) | null = null;
    try {
      const t0 = Date.now();
      // Last look at the failed primary, alongside reading the replicas: one that answers again (a restart,
      // a blip shorter than detection) is kept, never replaced by a second writable server.
      const [positions, answersAgain] = await Promise.all([
        this.positions(config, fromId, request.targetRegion, step),
        request.trigger === 'automatic' && from ? this.admins.of(from).position(this.settings.recheckTimeoutMs).then((p) => !p.inRecovery && !p.fenced, () => false) : false,
      ]);
      if (answersAgain) throw new FailoverNotNeeded(`${fromId} answers again as primary; nothing to fail over`);
      const choice = choosePromotionCandidate(config, positions, {
        primaryLsn: fromPosition?.lsn ?? (fromId ? this.monitor.health(fromId).currentLsn : null),
        maximumLagBytes: config.maximumLagOnFailoverBytes,
        target: request.target,
      });
      record.durations.selectionMs = Date.now() - t0;
      if (!choice.candidate) throw new FailoverAborted(choice.reason);
      const candidate = choice.candidate;
      record.lagAtPromotionBytes = choice.lagBytes;
      this.logStep(config, record, 'select', record.durations.selectionMs, candidate.id, `${candidate.id} (${choice.reason})`);

      if (record.planned && from) {
        // Stop new writes on the old primary, then let the target replay everything acknowledged.
        const old = this.admins.of(from);
        await old.fence(step);
        undoFence = () => old.unfence(step);
        const { lsn } = await old.position(step);
        await this.admins.of(candidate).waitForReplay(lsn!, remaining());
        record.lagAtPromotionBytes = 0;
        this.logStep(config, record, 'drain', Date.now() - t0 - record.durations.selectionMs, candidate.id, `${from.id} fenced, ${candidate.id} replayed ${lsn}`);
      }

      const t1 = Date.now();
      await this.admins.of(candidate).promote(remaining());
      undoFence = null;
      // A planned switchover's fence is a catalog change made while the target still streamed from the old
      // primary: it reached the target too. Reopened on the new timeline, which the other replicas follow.
      if (record.planned) await this.admins.of(candidate).unfence(step);
      record.durations.promotionMs = Date.now() - t1;
      this.logStep(config, record, 'promote', record.durations.promotionMs, candidate.id, `${candidate.id} promoted`);

      const t2 = Date.now();
      this.state.setPrimary(group, candidate.id);
      const epoch = this.state.state(group).epoch;
      record.to = candidate.id;
      record.epoch = epoch;
      if (!(await this.shared.publish(group).catch(() => false))) {
        this.logger.error({ msg: `${group}: another instance stored a newer epoch while promoting ${candidate.id}`, ...logFields(config.region, candidate.id) });
      }
      record.durations.rerouteMs = Date.now() - t2;
      this.logStep(config, record, 'reroute', record.durations.rerouteMs, candidate.id, `writes go to ${candidate.id}, epoch ${epoch}`);

      const t3 = Date.now();
      await this.admins.of(candidate).verifyWrite(group, epoch, step);
      record.durations.verifyMs = Date.now() - t3;
      this.logStep(config, record, 'verify', record.durations.verifyMs, candidate.id, `a write committed on ${candidate.id}`);
      void this.monitor.probe(candidate.id).catch(() => undefined);

      const t4 = Date.now();
      const others = [...config.replicas, config.primary].filter((e) => e.id !== candidate.id && e.id !== fromId);
      const repointed = await Promise.allSettled(others.map((e) => this.admins.of(e).repointTo(candidate, step)));
      record.repointed = others.filter((_, i) => repointed[i].status === 'fulfilled').map((e) => e.id);
      record.durations.repointMs = Date.now() - t4;
      this.logStep(config, record, 'repoint', record.durations.repointMs, candidate.id, `${record.repointed.join(', ') || 'no replica'} now follow ${candidate.id}${record.repointed.length < others.length ? ` (${others.length - record.repointed.length} did not answer)` : ''}`);

      if (from) {
        const t5 = Date.now();
        record.fenced = await this.fence.fenceNow(from, step);
        this.logStep(config, record, 'fence', Date.now() - t5, from.id, record.fenced ? `${from.id} fenced${record.fenced.wasWritable ? ' (it was still writable)' : ''}` : `${from.id} does not answer: watched, fenced as soon as it does`);
      }
      record.outcome = 'completed';
      record.reason = choice.reason;
    } catch (error) {
      await undoFence?.().catch(() => undefined);
      if (error instanceof FailoverNotNeeded) record.outcome = 'skipped';
      record.reason = redactSecrets(error instanceof Error ? error.message : String(error));
    }
    record.finishedAt = new Date().toISOString();
    record.durations.totalMs = Date.now() - started;
    await this.records.record(record);
    if (record.outcome === 'completed') {
      await this.alerts.resolve(`failover_failed:${group}`, `Failover of ${group} completed: ${record.to} is primary (epoch ${record.epoch})`).catch(() => null);
      await this.alerts.raise('failover_completed', 'high', group, `Failover of ${group} completed: ${record.from ?? 'none'} -> ${record.to} in ${record.durations.totalMs} ms (epoch ${record.epoch})`, { failoverId: record.id, durations: record.durations });
      const votes = record.quorum ? `; decided by ${record.quorum.votes.join(', ')} (${record.quorum.votes.length} of ${record.quorum.live.length} live instances)` : '';
      this.logger.log({ msg: `${group}: ${record.from} -> ${record.to}, epoch ${record.epoch}, ${record.durations.totalMs} ms${votes}`, ...logFields(config.region, record.to!), failover: record.id, quorum: record.quorum });
    } else if (record.outcome === 'skipped') {
      this.logger.warn({ msg: `${group}: failover skipped: ${record.reason}`, ...logFields(config.region, record.from ?? '-'), failover: record.id });
    } else {
      await this.alerts.raise('failover_failed', 'critical', group, `Failover of ${group} failed: ${record.reason}; reads keep being served by replicas`, { failoverId: record.id });
      this.logger.error({ msg: `${group}: failover failed: ${record.reason}`, ...logFields(config.region, record.from ?? '-'), failover: record.id });
    }
    return record;
  }

  /** One line per failover step, with its duration: an operator follows the failover as it happens. */
  private logStep(config: ReplicationGroupConfig, record: FailoverRecord, step: string, durationMs: number, endpointId: string, detail: string): void {
    this.logger.log({ msg: `${config.name}: failover ${step}: ${detail} (${durationMs} ms)`, ...logFields(config.region, endpointId), failover: record.id, step, durationMs });
  }

  private async positions(config: ReplicationGroupConfig, fromId: string | null, targetRegion: string | undefined, timeoutMs: number): Promise<ReplicaPosition[]> {
    const endpoints = [config.primary, ...config.replicas].filter((e) => e.id !== fromId && (!targetRegion || e.region === targetRegion));
    return Promise.all(
      endpoints.map(async (endpoint) => {
        const fenced = this.state.isFenced(config.name, endpoint.id);
        try {
          const p = await this.admins.of(endpoint).position(timeoutMs);
          return { endpoint, reachable: true, inRecovery: p.inRecovery, lsn: p.lsn, fenced };
        } catch {
          return { endpoint, reachable: false, inRecovery: false, lsn: null, fenced };
        }
      }),
    );
  }

  /**
   * The real current primary of a group, from what each server says about itself (role, fenced, timeline of
   * its current WAL) and what the instances agreed on in Redis; see `decidePrimary`. Members that do not
   * answer are watched: one may be a former primary that comes back writable.
   */
  async discover(config: ReplicationGroupConfig): Promise<void> {
    const endpoints = [config.primary, ...config.replicas];
    const positions = await Promise.all(endpoints.map((e) => this.admins.of(e).position(this.settings.stepTimeoutMs).catch(() => null)));
    const stored = await this.shared.read(config.name).catch(() => null);
    const decision = decidePrimary(
      endpoints.map((e, i) => ({ id: e.id, position: positions[i] })),
      stored?.primaryId ?? null,
    );
    const current = this.state.state(config.name);
    const fenced = endpoints.filter((e, i) => positions[i]?.fenced).map((e) => e.id);
    if (decision.kind === 'split-brain') {
      const servers = decision.writable.map((w) => `${w.id} (timeline ${w.timeline ?? '?'})`).join(' and ');
      const message = `Split brain in ${config.name}: ${servers} both accept writes and no instance agreed on either; writes are refused until an operator picks one (POST /api/database/failover/${config.name} with targetEndpoint)`;
      this.state.setPrimary(config.name, null, current.epoch + 1, [...new Set([...current.fenced, ...fenced])]);
      this.logger.error({ msg: message, ...logFields(config.region, decision.writable[0].id) });
      await this.alerts.raise('failover_failed', 'critical', config.name, message, { writable: decision.writable }).catch(() => undefined);
      return;
    }
    endpoints.filter((_, i) => !positions[i]).forEach((e) => this.fence.watch(e.id));
    if (decision.kind === 'none') return;
    const chosen = decision.primaryId;
    if (chosen !== current.primaryId) {
      this.state.setPrimary(config.name, chosen, Math.max(current.epoch, stored?.epoch ?? 0) + 1, fenced);
      await this.shared.publish(config.name).catch(() => undefined);
      this.logger.warn({ msg: `${config.name}: discovered ${chosen} as the writable primary (configured or stored: ${current.primaryId})`, ...logFields(config.region, chosen) });
    }
    this.fence.forget(chosen);
    for (const id of decision.fence) await this.fence.fenceNow(this.registry.endpoint(id), this.settings.stepTimeoutMs);
  }

  /** Picks one of two writable servers an operator chose after a split brain: it is primary, the others fenced. */
  private async adoptPrimary(config: ReplicationGroupConfig, targetId: string, actor: string) {
    const others = [config.primary, ...config.replicas].filter((e) => e.id !== targetId);
    const fenced = await Promise.all(others.map((e) => this.admins.of(e).fence(this.settings.stepTimeoutMs).then((r) => (r.wasWritable ? e.id : null), () => null)));
    const current = this.state.state(config.name);
    this.state.setPrimary(config.name, targetId, current.epoch + 1, [...new Set([...current.fenced, ...fenced.filter((id): id is string => id !== null)])]);
    await this.shared.publish(config.name).catch(() => undefined);
    await this.alerts.resolve(`failover_failed:${config.name}`, `${actor} picked ${targetId} as primary of ${config.name}`).catch(() => null);
    this.logger.warn({ msg: `${config.name}: ${actor} picked ${targetId} as primary after a split brain; fenced ${fenced.filter(Boolean).join(', ') || 'nothing'}`, ...logFields(config.region, targetId) });
  }

  private onEndpointDown(endpointId: string): void {
    const endpoint = this.registry.endpoint(endpointId);
    if (this.stopped || !this.settings.automatic || this.state.primaryOf(endpoint.group) !== endpointId) return;
    this.lastAttempt.set(endpoint.group, Date.now());
    this.failover(endpoint.group, { trigger: 'automatic', actor: 'system', failedPrimary: endpointId }).catch((error) =>
      this.logger.error({ msg: `${endpoint.group}: automatic failover: ${redactSecrets(String(error?.message ?? error))}`, ...logFields(endpoint.region, endpointId) }),
    );
  }

  private onProbe(endpointId: string, reachable: boolean): void {
    const endpoint = this.registry.endpoint(endpointId);
    const group = endpoint.group;
    if (this.state.primaryOf(group) === endpointId) {
      if (!reachable && !this.failingSince.has(endpointId)) this.failingSince.set(endpointId, Date.now());
      if (reachable) {
        this.failingSince.delete(endpointId);
        this.heldByPause.delete(group);
        if (this.awaitingQuorum.delete(group)) void this.quorum.withdraw(group, endpointId);
      }
      return;
    }
    const health = this.monitor.health(endpointId);
    // A former primary rejoined as a streaming replica (pg_rewind) serves reads again, and may be promoted.
    if (reachable && health.role === 'replica' && this.state.isFenced(group, endpointId) && !this.running.has(group)) {
      const { primaryId, epoch, fenced } = this.state.state(group);
      this.state.setPrimary(group, primaryId, epoch + 1, fenced.filter((id) => id !== endpointId));
      void this.shared.publish(group).catch(() => undefined);
      return;
    }
    // A former primary coming back writable is a split-brain risk: the fence watcher fences it within moments.
    if (reachable && health.role === 'primary') this.fence.watch(endpointId);
  }

  /** Between health rounds, each current primary is checked often: detection must not wait 30 s. */
  private checkPrimaries(): void {
    for (const group of this.state.all()) {
      const id = group.primaryId;
      if (!id || this.checking.has(id) || this.running.has(group.group)) continue;
      this.checking.add(id);
      this.monitor
        .probe(id)
        .catch(() => undefined)
        .finally(() => {
          this.checking.delete(id);
          // A primary still confirmed down after a failover that could not run (no candidate, Redis
          // unreachable) is tried again, at most every FAILOVER_RETRY_MS; one still awaiting the other
          // instances' votes, or held by a pause, at every check.
          const since = Date.now() - (this.lastAttempt.get(group.group) ?? 0);
          const retryMs = this.awaitingQuorum.has(group.group) || this.heldByPause.has(group.group) ? 0 : this.settings.retryMs;
          if (!this.monitor.health(id).isHealthy && this.failingSince.has(id) && since >= retryMs) this.onEndpointDown(id);
        });
    }
  }

  private skipped(group: string, request: FailoverRequest, reason: string, quorum: QuorumTally | null = null): FailoverRecord {
    const now = new Date().toISOString();
    return {
      id: randomUUID(), group, trigger: request.trigger, actor: request.actor, planned: false, from: null, to: null, epoch: null,
      outcome: 'skipped', reason, startedAt: now, finishedAt: now,
      durations: { detectionMs: null, selectionMs: null, promotionMs: null, rerouteMs: null, verifyMs: null, repointMs: null, totalMs: 0 },
      lagAtPromotionBytes: null, repointed: [], fenced: null, quorum,
    };
  }

  private group(name: string): ReplicationGroupConfig {
    const group = allGroups(this.topology).find((g) => g.name === name);
    if (!group) throw new NotFoundException(`Unknown region "${name}" (known: ${allGroups(this.topology).map((g) => g.name).join(', ')})`);
    return group;
  }
}
