import { Injectable } from '@nestjs/common';
import { AlertService } from '../alerts/alert.service';
import { InjectTopology } from '../config/topology.module';
import { describeUrl } from '../config/redact';
import { allGroups } from '../config/topology.types';
import type { Topology } from '../config/topology.types';
import { RegionalFailoverService } from '../failover/regional-failover.service';
import type { FailoverHistoryPage } from '../failover/failover-history';
import type { FailoverRecord } from '../failover/failover-record';
import { DatabaseHealthMonitorService } from '../health/database-health-monitor.service';
import { HealthReportService } from '../health/health-report.service';
import { MaintenanceService } from '../maintenance/maintenance.service';
import { RedisService } from '../redis/redis.service';
import { ConnectionRouterService } from '../router/connection-router.service';
import { TopologyStateService } from '../topology-state/topology-state.service';

/**
 * The whole picture for operators (seed 002's dashboard data) and the downloadable report. Servers are
 * named by id and host:port/database only: a connection string never leaves the process.
 */
@Injectable()
export class SystemStatusService {
  constructor(
    @InjectTopology() private readonly topology: Topology,
    private readonly state: TopologyStateService,
    private readonly monitor: DatabaseHealthMonitorService,
    private readonly report: HealthReportService,
    private readonly alerts: AlertService,
    private readonly router: ConnectionRouterService,
    private readonly failovers: RegionalFailoverService,
    private readonly redis: RedisService,
    private readonly maintenance: MaintenanceService,
  ) {}

  /** Whether instances coordinate through Redis now; `unavailable`: every answer is this instance's own view. */
  coordination() {
    return this.redis.coordination;
  }

  /**
   * The shared failover history, or none while Redis is unreachable (it lives there): an operator's view
   * must not fail with the coordination store.
   */
  async failoverHistory(limit: number): Promise<FailoverRecord[]> {
    return this.failovers.history(limit).catch(() => []);
  }

  /** One page of it, newest first, with how many are kept (an empty page while Redis is unreachable). */
  async failoverHistoryPage(limit: number, offset: number): Promise<FailoverHistoryPage> {
    return this.failovers.historyPage(limit, offset).catch(() => ({ failovers: [], total: 0 }));
  }

  async status() {
    const [health, activeAlerts, lastFailovers, pauses] = await Promise.all([this.report.systemHealth(), this.alerts.active(), this.failoverHistory(5), this.maintenance.byGroup()]);
    const pools = new Map(this.router.connections().map((c) => [c.id, c]));
    const regions = new Map(this.topology.regions.map((r) => [r.name, r]));
    return {
      generatedAt: new Date().toISOString(),
      coordination: this.coordination(),
      systemHealth: health.systemHealth.overall,
      primaryHealthy: health.systemHealth.primaryHealthy,
      primaryRegion: this.topology.groups[0]?.name ?? null,
      defaultRegion: this.topology.defaultRegion,
      activeAlerts: activeAlerts.length,
      avgResponseTime: health.systemHealth.avgResponseTimeMs,
      replicaHealth: health.systemHealth.replicaHealth,
      lastFailover: lastFailovers.find((f) => f.outcome === 'completed')?.finishedAt ?? null,
      groups: allGroups(this.topology).map((group) => {
        const state = this.state.state(group.name);
        const region = regions.get(group.region);
        return {
          name: group.name,
          kind: group.kind,
          region: group.region,
          priority: group.priority,
          location: region?.location ?? null,
          primary: state.primaryId,
          epoch: state.epoch,
          fenced: state.fenced,
          failoverRunning: this.failovers.isRunning(group.name),
          // Maintenance mode: automatic failover paused (by this pause) for the group.
          failoverPaused: pauses.get(group.name) ?? null,
          endpoints: [group.primary, ...group.replicas].map((endpoint) => {
            const h = this.monitor.health(endpoint.id);
            return {
              id: endpoint.id,
              server: describeUrl(endpoint.url),
              region: endpoint.region,
              roles: endpoint.roles,
              // A fenced former primary serves nothing until it is rejoined: never show it as a replica.
              role: state.primaryId === endpoint.id ? 'primary' : state.fenced.includes(endpoint.id) ? 'former-primary' : 'replica',
              reportedRole: h.role,
              healthy: h.isHealthy,
              fenced: state.fenced.includes(endpoint.id),
              latencyMs: h.latencyMs,
              replicationLagBytes: h.replicationLagBytes,
              replicationLagMs: h.replicationLagMs,
              replayPaused: h.replayPaused,
              timeline: h.timeline,
              lastCheckAt: h.lastCheckAt,
              lastError: h.lastError,
              pool: pools.get(endpoint.id)?.pool ?? null,
            };
          }),
        };
      }),
      alerts: activeAlerts,
      failovers: lastFailovers,
    };
  }

  /** Everything an incident review needs, in one JSON document. */
  async export() {
    const [status, alertHistory, failovers] = await Promise.all([this.status(), this.alerts.history(1_000), this.failoverHistory(1_000)]);
    return {
      exportedAt: new Date().toISOString(),
      topology: {
        defaultRegion: this.topology.defaultRegion,
        pool: this.topology.pool,
        // A region's cacheUrl may hold a password: only its host and port leave the process.
        regions: this.topology.regions.map((r) => ({ name: r.name, priority: r.priority, location: r.location, cache: r.cacheUrl && new URL(r.cacheUrl).host })),
        groups: allGroups(this.topology).map((g) => ({
          name: g.name,
          kind: g.kind,
          region: g.region,
          priority: g.priority,
          healthIntervalMs: g.healthIntervalMs,
          failoverTimeoutMs: g.failoverTimeoutMs,
          ssl: g.ssl,
          maximumLagOnFailoverBytes: g.maximumLagOnFailoverBytes,
          endpoints: [g.primary, ...g.replicas].map((e) => ({ id: e.id, server: describeUrl(e.url), region: e.region, roles: e.roles, configuredRole: e.configuredRole })),
        })),
      },
      status,
      healthHistory: this.report.metrics(undefined, 1_000).endpoints,
      performance: this.report.performance(),
      alertHistory,
      failovers,
      routing: this.router.routingMetrics(),
    };
  }
}
