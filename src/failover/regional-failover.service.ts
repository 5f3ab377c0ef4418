import { Injectable, Logger, NotFoundException, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AlertService } from '../alerts/alert.service';
import { logFields } from '../logging/log-fields';
import { InjectTopology } from '../config/topology.module';
import { redactSecrets } from '../config/redact';
import { allGroups } from '../config/topology.types';
import type { EndpointConfig, ReplicationGroupConfig, Topology } from '../config/topology.types';
import { EndpointRegistry } from '../database/endpoint-registry';
import { RedisService } from '../redis/redis.service';
import { DatabaseHealthMonitorService } from '../health/database-health-monitor.service';
import { SharedTopologyState } from '../topology-state/shared-topology-state';
import { PrimaryChange, TopologyStateService } from '../topology-state/topology-state.service';
import { FailoverInProgressError, FailoverUnavailableError } from './failover-errors';
import { FailoverHistory } from './failover-history';
import { CoordinationUnavailableError, FailoverLock } from './failover-lock';
import { FailoverRecord, FailoverTrigger } from './failover-record';
import { failoverSettings } from './failover.settings';
import { choosePromotionCandidate, ReplicaPosition } from './promotion-candidate';
import { fence, primaryConninfo, promote, readPosition, repointReplica, unfence, verifyWrite, waitForReplay } from './postgres-admin';

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
export class RegionalFailoverService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RegionalFailoverService.name);
  private readonly settings = failoverSettings();
  private readonly running = new Set<string>();
  private readonly checking = new Set<string>();
  /** When each group's primary first failed a check in the current streak (for detection time). */
  private readonly failingSince = new Map<string, number>();
  private readonly lastAttempt = new Map<string, number>();
  /** Former primaries that could not be fenced yet: a frozen one may wake up writable at any moment. */
  private readonly awaitingFence = new Set<string>();
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
    private readonly redis: RedisService,
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
    this.redis.events.on('ready', () => this.onCoordinationRestored());
  }

  /** Redis answers again: a primary still down whose failover was withheld for lack of coordination goes now. */
  private onCoordinationRestored(): void {
    for (const { primaryId: id } of this.state.all()) {
      if (id && this.failingSince.has(id) && !this.monitor.health(id).isHealthy) this.onEndpointDown(id);
    }
  }

  onApplicationShutdown(): void {
    clearInterval(this.watch);
  }

  isRunning(group: string): boolean {
    return this.running.has(group);
  }

  history(limit: number): Promise<FailoverRecord[]> {
    return this.records.list(limit);
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
    try {
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
      await this.shared.load().catch(() => undefined);
      const before = this.state.state(group);
      if (request.failedPrimary && before.primaryId !== request.failedPrimary) {
        return this.skipped(group, request, `already failed over to ${before.primaryId} (epoch ${before.epoch})`);
      }
      return await this.run(config, request);
    } finally {
      this.running.delete(group);
      await lease.release();
    }
  }

  private async run(config: ReplicationGroupConfig, request: FailoverRequest): Promise<FailoverRecord> {
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
    };
    const since = fromId ? this.failingSince.get(fromId) : undefined;
    if (request.trigger === 'automatic' && since) record.durations.detectionMs = started - since;

    // Only an operator's request asks the old primary (a planned switchover if it answers); an automatic one
    // already knows it is down and must not wait on it (a frozen server answers nothing).
    const fromPosition = request.trigger === 'manual' && from ? await readPosition(from.url, step).catch(() => null) : null;
    record.planned = request.trigger === 'manual' && !!fromPosition && !fromPosition.inRecovery && !fromPosition.readOnly;
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
        request.trigger === 'automatic' && from ? readPosition(from.url, this.settings.recheckTimeoutMs).then((p) => !p.inRecovery, () => false) : false,
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

      if (record.planned && from) {
        // Stop new writes on the old primary, then let the target replay everything acknowledged.
        await fence(from.url, step);
        undoFence = () => unfence(from.url, step);
        const { lsn } = await readPosition(from.url, step);
        await waitForReplay(candidate.url, lsn!, remaining());
        record.lagAtPromotionBytes = 0;
      }

      const t1 = Date.now();
      await promote(candidate.url, remaining());
      undoFence = null;
      record.durations.promotionMs = Date.now() - t1;

      const t2 = Date.now();
      this.state.setPrimary(group, candidate.id);
      const epoch = this.state.state(group).epoch;
      record.to = candidate.id;
      record.epoch = epoch;
      if (!(await this.shared.publish(group).catch(() => false))) {
        this.logger.error({ msg: `${group}: another instance stored a newer epoch while promoting ${candidate.id}`, ...logFields(config.region, candidate.id) });
      }
      record.durations.rerouteMs = Date.now() - t2;

      const t3 = Date.now();
      await verifyWrite(candidate.url, group, epoch, step);
      record.durations.verifyMs = Date.now() - t3;
      void this.monitor.probe(candidate.id).catch(() => undefined);

      const t4 = Date.now();
      const others = [...config.replicas, config.primary].filter((e) => e.id !== candidate.id && e.id !== fromId);
      const repointed = await Promise.allSettled(others.map((e) => repointReplica(e.url, primaryConninfo(candidate.url, e.id), step)));
      record.repointed = others.filter((_, i) => repointed[i].status === 'fulfilled').map((e) => e.id);
      record.durations.repointMs = Date.now() - t4;

      if (from) record.fenced = await this.fenceFormerPrimary(from, group, step);
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
      await this.alerts.resolve(`failover_failed:${group}`).catch(() => null);
      await this.alerts.raise('failover_completed', 'high', group, `Failover of ${group} completed: ${record.from ?? 'none'} -> ${record.to} in ${record.durations.totalMs} ms (epoch ${record.epoch})`, { failoverId: record.id, durations: record.durations });
      this.logger.log({ msg: `${group}: ${record.from} -> ${record.to}, epoch ${record.epoch}, ${record.durations.totalMs} ms`, ...logFields(config.region, record.to!), failover: record.id });
    } else if (record.outcome === 'skipped') {
      this.logger.warn({ msg: `${group}: failover skipped: ${record.reason}`, ...logFields(config.region, record.from ?? '-'), failover: record.id });
    } else {
      await this.alerts.raise('failover_failed', 'critical', group, `Failover of ${group} failed: ${record.reason}; reads keep being served by replicas`, { failoverId: record.id });
      this.logger.error({ msg: `${group}: failover failed: ${record.reason}`, ...logFields(config.region, record.from ?? '-'), failover: record.id });
    }
    return record;
  }

  private async positions(config: ReplicationGroupConfig, fromId: string | null, targetRegion: string | undefined, timeoutMs: number): Promise<ReplicaPosition[]> {
    const endpoints = [config.primary, ...config.replicas].filter((e) => e.id !== fromId && (!targetRegion || e.region === targetRegion));
    return Promise.all(
      endpoints.map(async (endpoint) => {
        const fenced = this.state.isFenced(config.name, endpoint.id);
        try {
          const p = await readPosition(endpoint.url, timeoutMs);
          return { endpoint, reachable: true, inRecovery: p.inRecovery, lsn: p.lsn, fenced };
        } catch {
          return { endpoint, reachable: false, inRecovery: false, lsn: null, fenced };
        }
      }),
    );
  }

  /** Fences a former primary if it answers; one that does not is fenced when it comes back (onProbe). */
  private async fenceFormerPrimary(endpoint: EndpointConfig, group: string, timeoutMs: number) {
    try {
      const result = await fence(endpoint.url, timeoutMs);
      this.awaitingFence.delete(endpoint.id);
      if (result.wasWritable) {
        await this.alerts.raise('failover_failed', 'critical', endpoint.id, `Split-brain risk: former primary ${endpoint.id} of ${group} was still writable; fenced read-only`, { endpointId: endpoint.id });
      }
      return { id: endpoint.id, wasWritable: result.wasWritable };
    } catch {
      // Unreachable now: checked as often as a primary until it answers, then fenced (onProbe).
      this.awaitingFence.add(endpoint.id);
      return null;
    }
  }

  /** The real current primary of a group, from Redis and from the servers themselves (role, timeline). */
  async discover(config: ReplicationGroupConfig): Promise<void> {
    const endpoints = [config.primary, ...config.replicas];
    const found = await Promise.all(endpoints.map((e) => readPosition(e.url, this.settings.stepTimeoutMs).catch(() => null)));
    const writable = endpoints
      .map((endpoint, i) => ({ endpoint, position: found[i] }))
      .filter((x) => x.position && !x.position.inRecovery && !x.position.readOnly)
      .sort((a, b) => b.position!.timeline - a.position!.timeline);
    const current = this.state.primaryOf(config.name);
    // The highest timeline wins; among equals the primary already known (from Redis or configuration) stays.
    const top = writable.filter((w) => w.position!.timeline === writable[0]?.position!.timeline);
    const chosen = top.find((w) => w.endpoint.id === current)?.endpoint.id ?? top[0]?.endpoint.id;
    if (chosen && chosen !== current) {
      this.state.setPrimary(config.name, chosen);
      await this.shared.publish(config.name).catch(() => undefined);
      this.logger.warn({ msg: `${config.name}: discovered ${chosen} as the writable primary (configured or stored: ${current})`, ...logFields(config.region, chosen) });
    }
    for (const other of writable.filter((w) => w.endpoint.id !== (chosen ?? current))) {
      await this.fenceFormerPrimary(other.endpoint, config.name, this.settings.stepTimeoutMs);
    }
  }

  private onEndpointDown(endpointId: string): void {
    const endpoint = this.registry.endpoint(endpointId);
    if (!this.settings.automatic || this.state.primaryOf(endpoint.group) !== endpointId) return;
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
      if (reachable) this.failingSince.delete(endpointId);
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
    // A former primary coming back writable is a split-brain risk: fence it again.
    if (reachable && health.role === 'primary' && !health.readOnly && !this.running.has(group)) {
      void this.fenceFormerPrimary(endpoint, group, this.settings.stepTimeoutMs);
    }
  }

  /** Between health rounds, each current primary is checked often: detection must not wait 30 s. */
  private checkPrimaries(): void {
    for (const id of this.awaitingFence) {
      if (this.checking.has(id)) continue;
      this.checking.add(id);
      this.monitor
        .probe(id)
        .catch(() => undefined)
        .finally(() => this.checking.delete(id));
    }
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
          // unreachable) is tried again, at most every FAILOVER_RETRY_MS.
          const since = Date.now() - (this.lastAttempt.get(group.group) ?? 0);
          if (!this.monitor.health(id).isHealthy && this.failingSince.has(id) && since >= this.settings.retryMs) this.onEndpointDown(id);
        });
    }
  }

  private skipped(group: string, request: FailoverRequest, reason: string): FailoverRecord {
    const now = new Date().toISOString();
    return {
      id: randomUUID(), group, trigger: request.trigger, actor: request.actor, planned: false, from: null, to: null, epoch: null,
      outcome: 'skipped', reason, startedAt: now, finishedAt: now,
      durations: { detectionMs: null, selectionMs: null, promotionMs: null, rerouteMs: null, verifyMs: null, repointMs: null, totalMs: 0 },
      lagAtPromotionBytes: null, repointed: [], fenced: null,
    };
  }

  private group(name: string): ReplicationGroupConfig {
    const group = allGroups(this.topology).find((g) => g.name === name);
    if (!group) throw new NotFoundException(`Unknown region "${name}" (known: ${allGroups(this.topology).map((g) => g.name).join(', ')})`);
    return group;
  }
}
