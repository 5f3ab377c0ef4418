import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectAlertSettings } from '../alerts/alert.settings';
import type { AlertSettings } from '../alerts/alert.settings';
import { AlertService } from '../alerts/alert.service';
import { HEALTH_ALERT_TYPES } from '../alerts/alert.types';
import { evaluateAlerts, recoveredFailovers } from '../alerts/evaluate-alerts';
import { InjectTopology } from '../config/topology.module';
import { redactSecrets } from '../config/redact';
import { allGroups } from '../config/topology.types';
import type { Topology } from '../config/topology.types';
import { TopologyStateService } from '../topology-state/topology-state.service';
import { DatabaseHealthMonitorService } from './database-health-monitor.service';

/**
 * Turns the monitor's view into alerts after every round and every up/down change: the conditions this
 * instance sees are asserted, the others withdrawn (they stay active while another instance still sees them).
 */
@Injectable()
export class HealthAlertsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(HealthAlertsService.name);
  private running: Promise<void> | null = null;
  private again = false;
  /** An instance that has not re-asserted a condition for this long is presumed gone. */
  private readonly staleMs: number;

  constructor(
    private readonly monitor: DatabaseHealthMonitorService,
    private readonly alerts: AlertService,
    private readonly state: TopologyStateService,
    @InjectAlertSettings() private readonly settings: AlertSettings,
    @InjectTopology() topology: Topology,
  ) {
    const longestInterval = Math.max(...allGroups(topology).map((g) => g.healthIntervalMs));
    this.staleMs = 3 * (longestInterval + monitor.settings.probeTimeoutMs);
  }

  onApplicationBootstrap(): void {
    const evaluate = () => void this.evaluate();
    this.monitor.events.on('round', evaluate);
    this.monitor.events.on('endpoint-down', evaluate);
    this.monitor.events.on('endpoint-up', evaluate);
    // A new primary changes what an endpoint is (the old one fenced, its down alert now a fenced one) at once.
    this.state.events.on('primary-changed', evaluate);
    evaluate();
  }

  /** At most one evaluation at a time; a request arriving meanwhile gets one more pass afterwards. */
  evaluate(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.reconcile();
      } while (this.again);
    })().finally(() => (this.running = null));
    return this.running;
  }

  private async reconcile(): Promise<void> {
    try {
      const inputs = this.monitor.endpointIds().map((id) => {
        const health = this.monitor.health(id);
        const traffic = this.monitor.traffic(id);
        return {
          health,
          status: this.monitor.verdict(id).status,
          isGroupPrimary: this.state.primaryOf(health.group) === id,
          fenced: this.state.isFenced(health.group, id),
          traffic: { queries: traffic.queries, errorRate: traffic.errorRate },
        };
      });
      await this.alerts.reconcile(evaluateAlerts(inputs, this.settings.thresholds), HEALTH_ALERT_TYPES, this.staleMs);
      // A failed failover's alert ends when the group takes writes again, however it got there (the old primary
      // back by itself included), not only at the next completed failover; a fenced former primary's when it
      // is a replica again.
      const primaries = this.state.all().map(({ group, primaryId }) => ({
        group,
        primaryId,
        health: primaryId ? this.monitor.health(primaryId) : null,
        status: primaryId ? this.monitor.verdict(primaryId).status : ('unknown' as const),
      }));
      for (const { key, resolution } of recoveredFailovers(await this.alerts.active(), primaries, inputs)) await this.alerts.resolve(key, resolution);
    } catch (error) {
      // The store may be down (Redis): the next round tries again.
      this.logger.warn(`alert evaluation failed: ${redactSecrets(String((error as Error)?.message ?? error))}`);
    }
  }
}
