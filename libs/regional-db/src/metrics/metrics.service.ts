import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { AlertService } from '../alerts/alert.service';
import type { AlertEvent } from '../alerts/alert.types';
import { InjectTopology } from '../config/topology.module';
import { allEndpoints, allGroups } from '../config/topology.types';
import type { Topology } from '../config/topology.types';
import { RegionalFailoverService } from '../failover/regional-failover.service';
import { DatabaseHealthMonitorService } from '../health/database-health-monitor.service';
import { MaintenanceService } from '../maintenance/maintenance.service';
import type { ProbeEvent } from '../health/database-health-monitor.service';
import { RedisService } from '../redis/redis.service';
import { ConnectionRouterService } from '../router/connection-router.service';
import { TopologyStateService } from '../topology-state/topology-state.service';
import { activeAlertCounts, unseenFailovers } from './metric-samples';

/** Failovers read back from history per scrape: far more than can happen between two scrapes. */
const FAILOVER_HISTORY_WINDOW = 100;

/**
 * The Prometheus families of this app instance, in a registry of its own (several instances in one process
 * do not collide). Gauges and the router's counters are read from the services at scrape time; probe
 * round-trips and raised alerts are counted from the services' events; failovers from the failover history.
 */
@Injectable()
export class MetricsService implements OnApplicationShutdown {
  readonly registry = new Registry();
  private readonly startedAt = Date.now();
  private readonly countedFailovers = new Set<string>();
  private failoverSync: Promise<void> | null = null;
  private readonly probeDuration: Histogram<'endpoint' | 'group'>;
  private readonly probeFailures: Counter<'endpoint' | 'group'>;
  private readonly alertsRaised: Counter<'type' | 'severity'>;
  private readonly failovers: Counter<'group' | 'outcome'>;
  private readonly failoverDuration: Histogram<'group' | 'outcome'>;
  private readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  private readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  private readonly onProbe = (event: ProbeEvent) => this.recordProbe(event);
  private readonly onAlert = (event: AlertEvent) => {
    if (event.action === 'raised') this.alertsRaised.inc({ type: event.alert.type, severity: event.alert.severity });
  };

  constructor(
    @InjectTopology() private readonly topology: Topology,
    private readonly state: TopologyStateService,
    private readonly monitor: DatabaseHealthMonitorService,
    private readonly router: ConnectionRouterService,
    private readonly alerts: AlertService,
    private readonly failoverService: RegionalFailoverService,
    private readonly redis: RedisService,
    private readonly maintenance: MaintenanceService,
  ) {
    const registers = [this.registry];
    const endpoints = allEndpoints(topology);
    const service = this;

    new Gauge({
      name: 'db_endpoint_up',
      help: "1 when the health monitor's debounced verdict is healthy, else 0",
      labelNames: ['endpoint', 'group', 'region'],
      registers,
      collect() {
        this.reset();
        for (const e of endpoints) this.set({ endpoint: e.id, group: e.group, region: e.region }, service.monitor.health(e.id).isHealthy ? 1 : 0);
      },
    });
    // The role is a gauge of its own: a label on db_endpoint_up would replace its series at every failover.
    new Gauge({
      name: 'db_endpoint_primary',
      help: "1 for the group's current primary (after failovers), 0 for the others",
      labelNames: ['endpoint', 'group'],
      registers,
      collect() {
        this.reset();
        for (const e of endpoints) this.set({ endpoint: e.id, group: e.group }, service.state.primaryOf(e.group) === e.id ? 1 : 0);
      },
    });
    new Gauge({
      name: 'db_endpoint_fenced',
      help: '1 while the endpoint is fenced (a former primary that must take no writes)',
      labelNames: ['endpoint', 'group'],
      registers,
      collect() {
        this.reset();
        for (const e of endpoints) this.set({ endpoint: e.id, group: e.group }, service.state.isFenced(e.group, e.id) ? 1 : 0);
      },
    });
    this.probeDuration = new Histogram({
      name: 'db_endpoint_probe_duration_seconds',
      help: 'Round-trip time of successful health probes',
      labelNames: ['endpoint', 'group'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.probeFailures = new Counter({ name: 'db_endpoint_probe_failures_total', help: 'Health probes that got no answer', labelNames: ['endpoint', 'group'], registers });
    new Gauge({
      name: 'db_replication_lag_bytes',
      help: "Bytes of WAL a replica has not replayed yet, against its group's current primary",
      labelNames: ['endpoint', 'group'],
      registers,
      collect() {
        this.reset();
        for (const e of endpoints) {
          const lag = service.monitor.health(e.id).replicationLagBytes;
          if (lag !== null) this.set({ endpoint: e.id, group: e.group }, lag);
        }
      },
    });
    new Gauge({
      name: 'db_replication_lag_seconds',
      help: "How far behind its group's current primary a replica's replay is, in time",
      labelNames: ['endpoint', 'group'],
      registers,
      collect() {
        this.reset();
        for (const e of endpoints) {
          const lag = service.monitor.health(e.id).replicationLagMs;
          if (lag !== null) this.set({ endpoint: e.id, group: e.group }, lag / 1000);
        }
      },
    });
    new Gauge({
      name: 'db_pool_connections',
      help: "Connections of this instance's pool per endpoint: in_use and idle",
      labelNames: ['endpoint', 'state'],
      registers,
      collect() {
        this.reset();
        for (const { id, pool } of service.router.connections()) {
          this.set({ endpoint: id, state: 'in_use' }, pool.inUse);
          this.set({ endpoint: id, state: 'idle' }, pool.idle);
        }
      },
    });
    new Gauge({
      name: 'db_pool_waiting_clients',
      help: "Callers of this instance queued for a connection of the endpoint's pool (not connections)",
      labelNames: ['endpoint'],
      registers,
      collect() {
        this.reset();
        for (const { id, pool } of service.router.connections()) this.set({ endpoint: id }, pool.waiting);
      },
    });
    new Gauge({
      name: 'db_pool_max',
      help: "Size bound of this instance's pool per endpoint",
      labelNames: ['endpoint'],
      registers,
      collect() {
        this.reset();
        for (const { id, pool } of service.router.connections()) this.set({ endpoint: id }, pool.max);
      },
    });
    new Counter({
      name: 'db_queries_routed_total',
      help: 'Queries the router sent, by operation kind and endpoint',
      labelNames: ['kind', 'endpoint'],
      registers,
      collect() {
        this.reset();
        for (const [endpoint, kinds] of Object.entries(service.router.routingMetrics().queriesRouted.byEndpointAndKind)) {
          for (const [kind, count] of Object.entries(kinds)) this.inc({ kind, endpoint }, count);
        }
      },
    });
    new Counter({
      name: 'db_query_fallbacks_total',
      help: 'Reads sent to the primary instead of a replica, by reason',
      labelNames: ['reason'],
      registers,
      collect() {
        this.reset();
        for (const [reason, count] of Object.entries(service.router.routingMetrics().fallbacksByReason)) this.inc({ reason }, count);
      },
    });
    new Counter({
      name: 'db_query_retries_total',
      help: 'Reads retried on another endpoint after a connection-level failure',
      registers,
      collect() {
        this.reset();
        this.inc(service.router.routingMetrics().retries);
      },
    });
    new Counter({
      name: 'db_query_failures_total',
      help: 'Routed queries that failed in the end (after the retry, for reads), by group and operation kind',
      labelNames: ['group', 'kind'],
      registers,
      collect() {
        this.reset();
        for (const [group, kinds] of Object.entries(service.router.routingMetrics().failedByGroupAndKind)) {
          for (const [kind, count] of Object.entries(kinds)) this.inc({ group, kind }, count);
        }
      },
    });
    this.failovers = new Counter({
      name: 'db_failovers_total',
      help: 'Failovers of the cluster (any instance) finished since this instance started, from the failover history',
      labelNames: ['group', 'outcome'],
      registers,
      collect: () => this.syncFailovers(),
    });
    this.failoverDuration = new Histogram({
      name: 'db_failover_duration_seconds',
      help: 'Duration of those failovers, from start to the end of the last step',
      labelNames: ['group', 'outcome'],
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers,
      collect: () => this.syncFailovers(),
    });
    new Gauge({
      name: 'db_alerts_active',
      help: 'Active alerts (shared by every instance when Redis is configured), by type and severity',
      labelNames: ['type', 'severity'],
      registers,
      async collect() {
        const counts = activeAlertCounts(await service.alerts.active());
        this.reset();
        for (const { type, severity, count } of counts) this.set({ type, severity }, count);
      },
    });
    this.alertsRaised = new Counter({ name: 'db_alerts_raised_total', help: 'Alerts this instance raised, by type and severity', labelNames: ['type', 'severity'], registers });
    new Gauge({
      name: 'db_group_epoch',
      help: 'Epoch of each replication group: bumped at every change of primary',
      labelNames: ['group'],
      registers,
      collect() {
        this.reset();
        for (const g of allGroups(service.topology)) this.set({ group: g.name }, service.state.state(g.name).epoch);
      },
    });
    new Gauge({
      name: 'db_coordination_available',
      help: '1 while this instance reaches the coordination store (Redis) or runs alone without one; 0: its answers are its own view and automatic failover is withheld',
      registers,
      collect() {
        this.set(service.redis.coordination === 'unavailable' ? 0 : 1);
      },
    });
    new Gauge({
      name: 'db_failover_in_progress',
      help: '1 while this instance runs a failover of the group (the one holding its lock: aggregate with max)',
      labelNames: ['group'],
      registers,
      collect() {
        this.reset();
        for (const g of allGroups(service.topology)) this.set({ group: g.name }, service.failoverService.isRunning(g.name) ? 1 : 0);
      },
    });
    new Gauge({
      name: 'db_failover_paused',
      help: "1 while the group's automatic failover is paused (maintenance mode, shared by every instance)",
      labelNames: ['group'],
      registers,
      async collect() {
        const paused = await service.maintenance.byGroup();
        this.reset();
        for (const [group, pause] of paused) this.set({ group }, pause ? 1 : 0);
      },
    });
    new Gauge({
      name: 'db_router_build_info',
      help: 'Always 1: the version of the service and of Node.js it runs on',
      labelNames: ['version', 'node_version'],
      registers,
    }).set({ version: packageVersion(), node_version: process.version }, 1);
    collectDefaultMetrics({ register: this.registry });
    this.httpRequests = new Counter({ name: 'http_requests_total', help: 'HTTP requests answered, by method, route template and status', labelNames: ['method', 'route', 'status'], registers });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from receiving an HTTP request to finishing its response, by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    // Subscribed at construction: the health monitor's first round runs in its onModuleInit, before ours.
    this.monitor.events.on('probe', this.onProbe);
    this.alerts.events.on('alert', this.onAlert);
  }

  onApplicationShutdown(): void {
    this.monitor.events.off('probe', this.onProbe);
    this.alerts.events.off('alert', this.onAlert);
  }

  /** The exposition text (`registry.contentType`). */
  scrape(): Promise<string> {
    return this.registry.metrics();
  }

  /** One answered HTTP request; `route` is its template (`/api/posts/:id`), never the path itself. */
  recordHttp(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.httpRequests.inc(labels);
    this.httpDuration.observe(labels, seconds);
  }

  private recordProbe(event: ProbeEvent): void {
    const labels = { endpoint: event.endpointId, group: event.group };
    if (event.reachable) this.probeDuration.observe(labels, event.latencyMs / 1000);
    else this.probeFailures.inc(labels);
  }

  /**
   * Counts failovers new in the history once, whichever family's collect asks first. The history lives in
   * Redis: while it is unreachable the counters keep their values and catch up when it returns.
   */
  private syncFailovers(): Promise<void> {
    this.failoverSync ??= (async () => {
      const records = await this.failoverService.history(FAILOVER_HISTORY_WINDOW).catch(() => []);
      for (const r of unseenFailovers(records, this.countedFailovers, this.startedAt)) {
        this.failovers.inc({ group: r.group, outcome: r.outcome });
        this.failoverDuration.observe({ group: r.group, outcome: r.outcome }, r.durations.totalMs / 1000);
      }
    })().finally(() => (this.failoverSync = null));
    return this.failoverSync;
  }
}

/** The service's version from the package.json of the directory it runs in (the image's /app), else `unknown`. */
function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
