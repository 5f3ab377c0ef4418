import { Inject, Injectable } from '@nestjs/common';
import { REGIONAL_DATABASE_SETTINGS, RegionalDatabaseSettings } from '../config/regional-database.settings';
import { InjectTopology } from '../config/topology.module';
import { allEndpoints } from '../config/topology.types';
import type { Topology } from '../config/topology.types';
import type { PoolStats } from '../database/endpoint-connection';
import type { GlobalClient, PrismaClientLike, RegionalClient } from '../database/prisma-clients';
import { EndpointRegistry } from '../database/endpoint-registry';
import { DatabaseHealthMonitorService } from '../health/database-health-monitor.service';
import { currentRequestContext } from '../request-context/request-context';
import { TopologyStateService } from '../topology-state/topology-state.service';
import { parseLsn } from '../database/lsn';
import { QueryDispatcher, Route } from './query-dispatcher';
import type { ReadKind } from './replica-selector';
import { createRoutedClient, ModelShape, modelShapes, RoutedCall } from './routed-client';
import { RoutingMetrics, RoutingMetricsSnapshot } from './routing-metrics';
import { EndpointHealthSource, RoutingTable } from './routing-table';
import { UnknownRegionError } from './unknown-region.error';

export interface ReadOptions {
  /** Skip replicas further behind than this (default `ROUTER_DEFAULT_MAX_LAG_MS`). */
  maxLagMs?: number;
  maxLagBytes?: number;
  /** A position from `consistencyToken(group)`: read only from servers that have replayed it. */
  consistencyToken?: string;
}

export type TransactionOptions = { maxWait?: number; timeout?: number; isolationLevel?: string };

/** The operation kinds of one replication group, as returned by `forRegion()` and `global()`. */
export interface GroupClients<TClient> {
  write(): TClient;
  read(options?: ReadOptions): TClient;
  analytics(): TClient;
  background(): TClient;
  transaction<T>(fn: (tx: TClient) => Promise<T>, options?: TransactionOptions): Promise<T>;
}

export interface EndpointConnectionInfo {
  id: string;
  group: string;
  region: string;
  /** Current role from the topology state (the configured one may be out of date after a failover). */
  role: 'primary' | 'replica';
  /** Health monitor's verdict; null before its first probe. */
  healthy: boolean | null;
  /** Queries this process has in flight there through the router. */
  outstanding: number;
  pool: PoolStats;
}

/**
 * Routes each query of the application to the right PostgreSQL server (seed 004's operation kinds): writes and
 * transactions to the group's current primary, reads to the nearest healthy, fresh-enough replica, falling back
 * to the primary. Returned clients are cached and pick the endpoint per operation (see `createRoutedClient`).
 *
 * Typed by the application's generated clients as it declares them (`RegionalDatabaseClients`):
 * `router.read().order.findMany()` is checked against the application's schema.
 */
@Injectable()
export class ConnectionRouterService {
  private readonly table: RoutingTable;
  private readonly metrics: RoutingMetrics;
  private readonly dispatcher: QueryDispatcher;
  private readonly clients = new Map<string, Map<Route['kind'], PrismaClientLike>>();
  private readonly regionNames: string[];
  private readonly defaultMaxLagMs: number;
  private readonly health: EndpointHealthSource;
  private globalClients: GroupClients<GlobalClient> | null = null;
  /** Each schema's models and relations, read once from a client of that schema. */
  private readonly shapes: { regional?: ModelShape[]; global?: ModelShape[] } = {};

  constructor(
    @InjectTopology() private readonly topology: Topology,
    private readonly registry: EndpointRegistry,
    private readonly state: TopologyStateService,
    monitor: DatabaseHealthMonitorService,
    @Inject(REGIONAL_DATABASE_SETTINGS) settings: RegionalDatabaseSettings,
  ) {
    this.health = monitor;
    this.regionNames = topology.groups.map((g) => g.name);
    this.defaultMaxLagMs = settings.ROUTER_DEFAULT_MAX_LAG_MS;
    this.table = new RoutingTable(topology, state, monitor);
    this.metrics = new RoutingMetrics(allEndpoints(topology).map((e) => e.id));
    this.dispatcher = new QueryDispatcher(this.table, registry, state, monitor, this.metrics);
  }

  /** Writes (and reads that must see them) on the region's primary. Region omitted: the request's region. */
  write(region?: string): RegionalClient {
    return this.regional(region, 'write');
  }

  read(region?: string, options?: ReadOptions): RegionalClient {
    return this.regional(region, 'read', options);
  }

  analytics(region?: string): RegionalClient {
    return this.regional(region, 'analytics');
  }

  background(region?: string): RegionalClient {
    return this.regional(region, 'background');
  }

  /** An interactive transaction on the region's current primary (never retried). */
  async transaction<T>(region: string | undefined, fn: (tx: RegionalClient) => Promise<T>, options?: TransactionOptions): Promise<T> {
    return this.dispatcher.transaction(this.regionalGroup(region), interactive(fn, options)) as Promise<T>;
  }

  /** Seed 000's `getClientForRegion`: every kind for one region. */
  forRegion(region?: string): GroupClients<RegionalClient> {
    const name = this.regionalGroup(region);
    return {
      write: () => this.write(name),
      read: (options) => this.read(name, options),
      analytics: () => this.analytics(name),
      background: () => this.background(name),
      transaction: (fn, options) => this.transaction(name, fn, options),
    };
  }

  /** The global database (directory, key-value): same kinds, one replication group. */
  global(): GroupClients<GlobalClient> {
    const global = this.topology.global;
    if (!global) throw new UnknownRegionError('global', this.regionNames);
    return (this.globalClients ??= {
      write: () => this.routed<GlobalClient>(global.name, 'write'),
      read: (options) => this.routed<GlobalClient>(global.name, 'read', options),
      analytics: () => this.routed<GlobalClient>(global.name, 'analytics'),
      background: () => this.routed<GlobalClient>(global.name, 'background'),
      transaction: async <T>(fn: (tx: GlobalClient) => Promise<T>, options?: TransactionOptions) => this.dispatcher.transaction(global.name, interactive(fn, options)) as Promise<T>,
    });
  }

  /**
   * The group's current WAL insert position on its primary, for `read(..., { consistencyToken })`. The insert
   * position is at or past the end of every record already inserted, so a replica that replayed it has every
   * commit made before this call, whatever `synchronous_commit` says.
   */
  async consistencyToken(group: string): Promise<string> {
    this.knownGroupConfig(group);
    const primaryId = this.state.primaryOf(group);
    if (!primaryId) throw new UnknownRegionError(group, this.groupNames());
    const { rows } = await this.registry.get(primaryId).pool.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn');
    return rows[0].lsn;
  }

  routingMetrics(): RoutingMetricsSnapshot {
    return this.metrics.snapshot();
  }

  resetRoutingMetrics(): void {
    this.metrics.reset();
  }

  connections(): EndpointConnectionInfo[] {
    return this.registry.all().map((connection) => {
      const { id, group, region } = connection.endpoint;
      const candidate = this.table.group(group)!.byId.get(id)!;
      return {
        id,
        group,
        region,
        role: this.state.primaryOf(group) === id ? 'primary' : 'replica',
        healthy: this.healthVerdict(id),
        outstanding: candidate.outstanding,
        pool: connection.stats(),
      };
    });
  }

  /** New pools for the group's endpoints (all when omitted); in-flight queries finish on the old ones. */
  async refreshConnections(group?: string): Promise<{ refreshed: string[] }> {
    if (group !== undefined) this.knownGroupConfig(group);
    const targets = this.registry.all().filter((c) => group === undefined || c.endpoint.group === group);
    await Promise.all(targets.map((c) => c.refresh()));
    return { refreshed: targets.map((c) => c.endpoint.id) };
  }

  /** The region a call without one means: the request's, else the configured default. */
  currentRegion(): string {
    return currentRequestContext()?.region ?? this.topology.defaultRegion;
  }

  private regional(region: string | undefined, kind: Route['kind'], options?: ReadOptions): RegionalClient {
    return this.routed<RegionalClient>(this.regionalGroup(region), kind, options);
  }

  /** Cached per group and kind (and lag bounds when given): the common call allocates nothing. */
  private routed<TClient extends PrismaClientLike>(group: string, kind: 'write' | ReadKind, options?: ReadOptions): TClient {
    if (options?.consistencyToken !== undefined) {
      // An explicit position is per call: not cached (the request context's token is read at execution time).
      const minLsn = parseLsn(options.consistencyToken);
      if (minLsn === null) throw new TypeError('consistencyToken must be a WAL position like "0/3000060"');
      return this.createClient<TClient>(this.route(group, kind, options, minLsn));
    }
    const bounded = kind !== 'write' && options !== undefined && (options.maxLagMs !== undefined || options.maxLagBytes !== undefined);
    const key = bounded ? `${group}|${kind}|${options.maxLagMs}|${options.maxLagBytes}` : group;
    let byKind = this.clients.get(key);
    if (!byKind) this.clients.set(key, (byKind = new Map()));
    let client = byKind.get(kind);
    if (!client) byKind.set(kind, (client = this.createClient<TClient>(this.route(group, kind, options, null))));
    return client as TClient;
  }

  private route(group: string, kind: 'write' | ReadKind, options: ReadOptions | undefined, minLsn: bigint | null): Route {
    return {
      group,
      kind,
      maxLagMs: kind === 'write' ? null : (options?.maxLagMs ?? this.defaultMaxLagMs),
      maxLagBytes: kind === 'write' ? null : (options?.maxLagBytes ?? null),
      minLsn,
      callerRegion: group === this.topology.global?.name ? this.topology.defaultRegion : group,
      tickChoice: { endpoint: null, callerRegion: '', minLsn: null },
    };
  }

  private createClient<TClient extends PrismaClientLike>(route: Route): TClient {
    const group = this.knownGroupConfig(route.group);
    const shapes = (this.shapes[group.kind] ??= modelShapes(this.registry.get(group.primary.id).client));
    return createRoutedClient<TClient>(
      shapes,
      (call) => this.dispatcher.run(route, call),
      (call) => this.dispatcher.transaction(route.group, call),
    );
  }

  private regionalGroup(region: string | undefined): string {
    const name = region ?? this.currentRegion();
    if (!this.regionNames.includes(name)) throw new UnknownRegionError(name, this.regionNames);
    return name;
  }

  private knownGroupConfig(group: string) {
    const config = group === this.topology.global?.name ? this.topology.global : this.topology.groups.find((g) => g.name === group);
    if (!config) throw new UnknownRegionError(group, this.groupNames());
    return config;
  }

  private groupNames(): string[] {
    return this.topology.global ? [...this.regionNames, this.topology.global.name] : this.regionNames;
  }

  private healthVerdict(id: string): boolean | null {
    const health = this.health.health(id);
    return health && health.lastCheckAt !== null ? health.isHealthy : null;
  }
}

function interactive(fn: (tx: never) => Promise<unknown>, options?: TransactionOptions): RoutedCall {
  return { model: undefined, operation: '$transaction', args: [fn, options], chain: null, context: currentRequestContext() };
}

/** The name feature modules inject: `constructor(private readonly db: ConnectionRouter)`. */
export { ConnectionRouterService as ConnectionRouter };
