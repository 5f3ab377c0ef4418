import { Injectable } from '@nestjs/common';
import { AlertService } from '../alerts/alert.service';
import type { Alert, AlertEvent } from '../alerts/alert.types';
import { InjectTopology } from '../config/topology.module';
import { allGroups } from '../config/topology.types';
import type { Topology } from '../config/topology.types';
import { TopologyStateService } from '../topology-state/topology-state.service';
import { DatabaseHealthMonitorService, EndpointMetrics } from './database-health-monitor.service';
import type { EndpointHealth } from './endpoint-health';
import { primaryVerdict, PrimaryVerdict, summarizeSystemHealth, SystemHealthSummary } from './system-health';
import type { EndpointStatus } from './verdict';

export interface SystemHealthReport {
  systemHealth: SystemHealthSummary & { checkedAt: string };
  groups: PrimaryVerdict[];
  endpoints: Record<string, EndpointHealth & { status: EndpointStatus }>;
  alerts: Alert[];
}

export interface PerformanceReport {
  summary: {
    avgResponseTimeMs: number | null;
    replicaHealth: number | null;
    throughputPerSec: number;
    errorRate: number;
  };
  endpoints: Array<{
    endpointId: string;
    group: string;
    role: EndpointHealth['role'];
    isHealthy: boolean;
    smoothedLatencyMs: number | null;
    p50Ms: number | null;
    p95Ms: number | null;
    p99Ms: number | null;
    throughputPerSec: number;
    errorRate: number;
    replicationLagMs: number | null;
    replicationLagBytes: number | null;
  }>;
}

/** What the admin API and the readiness probe show: the monitor's view, the groups' primaries, the alerts. */
@Injectable()
export class HealthReportService {
  constructor(
    private readonly monitor: DatabaseHealthMonitorService,
    private readonly alerts: AlertService,
    private readonly state: TopologyStateService,
    @InjectTopology() private readonly topology: Topology,
  ) {}

  primaries(): PrimaryVerdict[] {
    return allGroups(this.topology).map((g) => {
      const primaryId = this.state.primaryOf(g.name);
      return primaryVerdict(g.name, primaryId, primaryId === null ? null : this.monitor.health(primaryId));
    });
  }

  /** Fenced former primaries of every group: not replicas, whatever their server says. */
  formerPrimaries(): Set<string> {
    return new Set(this.state.all().flatMap((s) => s.fenced));
  }

  async systemHealth(): Promise<SystemHealthReport> {
    const alerts = await this.alerts.active();
    const health = [...this.monitor.getHealthStatus().values()];
    const groups = this.primaries();
    return {
      systemHealth: { ...summarizeSystemHealth(groups, health, alerts.length, this.formerPrimaries()), checkedAt: new Date().toISOString() },
      groups,
      endpoints: Object.fromEntries(health.map((h) => [h.id, { ...h, status: this.monitor.verdict(h.id).status }])),
      alerts,
    };
  }

  /** One endpoint's metrics (404 for an unknown one), or every endpoint's. */
  metrics(endpointId: string | undefined, limit: number): { endpoints: EndpointMetrics[] } {
    const ids = endpointId === undefined ? this.monitor.endpointIds() : [endpointId];
    return { endpoints: ids.map((id) => this.monitor.metrics(id, limit)) };
  }

  async alertsReport(limit: number): Promise<{ active: Alert[]; history: AlertEvent[] }> {
    const [active, history] = await Promise.all([this.alerts.active(), this.alerts.history(limit)]);
    return { active, history };
  }

  performance(): PerformanceReport {
    const all = this.monitor.endpointIds().map((id) => this.monitor.metrics(id, 0));
    const summary = summarizeSystemHealth(this.primaries(), [...this.monitor.getHealthStatus().values()], 0, this.formerPrimaries());
    const queries = all.reduce((n, m) => n + m.traffic.queries, 0);
    const failures = all.reduce((n, m) => n + m.traffic.failures, 0);
    return {
      summary: {
        avgResponseTimeMs: summary.avgResponseTimeMs,
        replicaHealth: summary.replicaHealth,
        throughputPerSec: Math.round(all.reduce((n, m) => n + m.traffic.throughputPerSec, 0) * 100) / 100,
        errorRate: queries ? failures / queries : 0,
      },
      endpoints: all.map((m) => ({
        endpointId: m.endpointId,
        group: m.group,
        role: m.role,
        isHealthy: m.isHealthy,
        smoothedLatencyMs: m.smoothedLatencyMs,
        p50Ms: m.probes.p50Ms,
        p95Ms: m.probes.p95Ms,
        p99Ms: m.probes.p99Ms,
        throughputPerSec: m.traffic.throughputPerSec,
        errorRate: m.traffic.errorRate,
        replicationLagMs: m.replicationLagMs,
        replicationLagBytes: m.replicationLagBytes,
      })),
    };
  }
}
