import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { AlertService } from '../alerts/alert.service';
import type { EndpointConfig } from '../config/topology.types';
import { EndpointRegistry } from '../database/endpoint-registry';
import { logFields } from '../logging/log-fields';
import { SharedTopologyState } from '../topology-state/shared-topology-state';
import { TopologyStateService } from '../topology-state/topology-state.service';
import { type FailoverSettings, InjectFailoverSettings } from './failover.settings';
import { ServerAdmins } from './server-admins';

/**
 * Fences former primaries, and watches the servers that may come back writable (a former primary not fenced
 * yet, a member unreachable at discovery): each is tried every FAILOVER_FENCE_PROBE_MS (a refused connection
 * costs nothing), so a restarted old primary is fenced within moments of accepting connections.
 */
@Injectable()
export class FormerPrimaryFence implements OnApplicationShutdown {
  private readonly logger = new Logger(FormerPrimaryFence.name);
  private readonly watched = new Set<string>();
  private readonly trying = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly registry: EndpointRegistry,
    private readonly state: TopologyStateService,
    private readonly shared: SharedTopologyState,
    private readonly alerts: AlertService,
    private readonly admins: ServerAdmins,
    @InjectFailoverSettings() private readonly settings: FailoverSettings,
  ) {}

  /** Starts watching; `busy(group)`: a failover of that group is running here (it fences on its own). */
  start(busy: (group: string) => boolean): void {
    this.timer = setInterval(() => this.tryWatched(busy), this.settings.fenceProbeMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  watch(endpointId: string): void {
    this.watched.add(endpointId);
  }

  forget(endpointId: string): void {
    this.watched.delete(endpointId);
  }

  /** Fences a former primary this instance decided to replace; one that does not answer is watched. */
  async fenceNow(endpoint: EndpointConfig, timeoutMs: number): Promise<{ id: string; wasWritable: boolean } | null> {
    try {
      const { wasWritable } = await this.admins.of(endpoint).fence(timeoutMs);
      this.watched.delete(endpoint.id);
      if (wasWritable) await this.warnFenced(endpoint, 'was still writable');
      return { id: endpoint.id, wasWritable };
    } catch {
      this.watched.add(endpoint.id);
      return null;
    }
  }

  private tryWatched(busy: (group: string) => boolean): void {
    for (const id of this.watched) {
      const endpoint = this.registry.endpoint(id);
      const primary = this.state.primaryOf(endpoint.group);
      if (this.trying.has(id) || busy(endpoint.group)) continue;
      // The group's primary itself, or a split brain an operator must settle: nothing to fence here.
      if (primary === id || primary === null) {
        this.watched.delete(id);
        continue;
      }
      this.trying.add(id);
      this.fenceIfFormerPrimary(endpoint)
        .then(async (wasWritable) => {
          this.watched.delete(id);
          if (wasWritable) await this.warnFenced(endpoint, 'came back writable');
        })
        .catch(() => undefined) // still unreachable: tried again on the next tick
        .finally(() => this.trying.delete(id));
    }
  }

  /**
   * Fences `endpoint` if it answers writable and is still not its group's primary once this instance has
   * caught up with the others' decisions (another instance may have just promoted it). Resolves with whether
   * it was writable; rejects while it does not answer.
   */
  private async fenceIfFormerPrimary(endpoint: EndpointConfig): Promise<boolean> {
    const stillFormer = async () => {
      // Only this group's decision matters here, and this runs on every try: one Redis read, not one per group.
      await this.shared.load(endpoint.group).catch(() => undefined);
      return this.state.primaryOf(endpoint.group) !== endpoint.id;
    };
    return (await this.admins.of(endpoint).fence(this.settings.stepTimeoutMs, stillFormer)).wasWritable;
  }

  private async warnFenced(endpoint: EndpointConfig, what: string): Promise<void> {
    const message = `Split-brain risk: former primary ${endpoint.id} of ${endpoint.group} ${what}; fenced (its database accepts no connection)`;
    this.logger.warn({ msg: message, ...logFields(endpoint.region, endpoint.id) });
    await this.alerts.raise('failover_failed', 'critical', endpoint.id, message, { endpointId: endpoint.id }).catch(() => undefined);
  }
}
