import type { EndpointRegistry } from '../database/endpoint-registry';
import { isConnectionError, isRecoveryConflict } from '../health/connection-errors';
import { currentRequestContext } from '../request-context/request-context';
import type { TopologyStateService } from '../topology-state/topology-state.service';
import { parseLsn } from '../database/lsn';
import { NoEndpointError } from './no-endpoint.error';
import { isReadOperation, runOperation } from './prisma-operations';
import { ReadKind, ReplicaCandidate, SelectionRequest, selectEndpoint } from './replica-selector';
import type { EndpointHealthSource, GroupRoutes, RoutingTable } from './routing-table';
import type { OperationKind, RoutingMetrics } from './routing-metrics';

/** Where the operations of one routed client go. */
export interface Route {
  group: string;
  kind: 'write' | ReadKind;
  maxLagMs: number | null;
  maxLagBytes: number | null;
  /** A consistency position given explicitly (`read(region, { consistencyToken })`). */
  minLsn: bigint | null;
  /** The caller's region when no request context says (the region the client was asked for). */
  callerRegion: string;
}

/**
 * Runs one routed Prisma operation: picks the endpoint at execution time (so a held client follows a failover),
 * measures it, tells the health monitor, and retries a read once elsewhere after a connection-level failure.
 * Writes and transactions go to the group's current primary and are never retried. Kept flat on purpose:
 * Prisma captures a stack trace per query, and every frame above it costs CPU.
 */
export class QueryDispatcher {
  /** Reused for every decision: selection is synchronous, so one scratch object serves all. */
  private readonly request: SelectionRequest = {
    kind: 'read',
    callerRegion: -1,
    maxLagMs: null,
    maxLagBytes: null,
    minLsn: null,
    excludeId: null,
    turn: 0,
    now: 0,
  };

  constructor(
    private readonly table: RoutingTable,
    private readonly registry: EndpointRegistry,
    private readonly state: TopologyStateService,
    private readonly health: EndpointHealthSource,
    private readonly metrics: RoutingMetrics,
  ) {}

  /** `model` is the delegate property (`user`); without one, `operation` is a raw method and `args` its argument list. */
  async run(route: Route, model: string | undefined, operation: string, args: unknown): Promise<unknown> {
    const group = this.table.group(route.group)!;
    const context = currentRequestContext();
    if (route.kind === 'write' || !isReadOperation(operation)) {
      // Recorded before running (a write that fails after reaching the server may still have committed); a model
      // read on the primary writes nothing, a raw query may.
      if (context && !(model && isReadOperation(operation))) context.wroteTo.add(route.group);
      return this.execute(this.primary(group, 'write'), 'write', model, operation, args);
    }
    if (context?.wroteTo.has(route.group)) {
      // This request wrote here and has no position for it yet: only the primary is certain to have it.
      this.metrics.fallback('read-after-write-in-request');
      return this.execute(this.primary(group, route.kind), route.kind, model, operation, args);
    }
    const minLsn = route.minLsn ?? parseLsn(context?.readAfter.get(route.group));
    const endpoint = this.choose(group, route, context?.region ?? route.callerRegion, minLsn, null);
    return this.execute(endpoint, route.kind, model, operation, args, false).catch((error: unknown) => {
      if (!isConnectionError(error) && !isRecoveryConflict(error)) {
        this.metrics.failedQuery(group.name, route.kind);
        throw error;
      }
      let next: ReplicaCandidate;
      try {
        next = this.choose(group, route, context?.region ?? route.callerRegion, minLsn, endpoint.id);
      } catch {
        // Nowhere else to go: a 503 naming the group and the endpoint that failed.
        this.metrics.failedQuery(group.name, route.kind);
        throw new NoEndpointError(group.name, model ? `${model}.${operation}` : operation, endpoint.id);
      }
      this.metrics.retried();
      return this.execute(next, route.kind, model, operation, args);
    });
  }

  /** An interactive transaction on the group's current primary. */
  async transaction<T>(group: string, fn: (tx: any) => Promise<T>, options?: unknown): Promise<T> {
    const primary = this.primary(this.table.group(group)!, 'transactional');
    currentRequestContext()?.wroteTo.add(group);
    return (await this.execute(primary, 'transactional', undefined, '$transaction', [fn, options])) as T;
  }

  private choose(group: GroupRoutes, route: Route, callerRegion: string, minLsn: bigint | null, excludeId: string | null): ReplicaCandidate {
    this.table.refresh(group);
    const request = this.request;
    request.kind = route.kind as ReadKind;
    request.callerRegion = this.table.regionIndex(callerRegion);
    request.maxLagMs = route.maxLagMs;
    request.maxLagBytes = route.maxLagBytes;
    request.minLsn = minLsn;
    request.excludeId = excludeId;
    request.turn = group.turn = (group.turn + 1) % 1_000_000_007;
    request.now = Date.now();
    const selection = selectEndpoint(group.candidates, request);
    if (!selection.endpoint) throw new NoEndpointError(group.name, route.kind);
    if (selection.fallback) this.metrics.fallback('no-replica-qualifies');
    this.metrics.routed(route.kind, selection.endpoint.id);
    return selection.endpoint;
  }

  private primary(group: GroupRoutes, kind: OperationKind): ReplicaCandidate {
    const id = this.state.primaryOf(group.name);
    const primary = id === null ? undefined : group.byId.get(id);
    // Writes go to the primary whatever the health monitor thinks of it: a verdict can be wrong (a probe timing
    // out on a busy host), and only a promotion decides who takes writes; a frozen one's are cut at the switch.
    if (!primary) throw new NoEndpointError(group.name, kind);
    this.metrics.routed(kind, primary.id);
    return primary;
  }

  /**
   * `final`: no retry follows a failure, so it counts as a failed query. Promise callbacks rather than an async
   * function: one promise layer less per query, measurably cheaper on this path.
   */
  private execute(endpoint: ReplicaCandidate, kind: OperationKind, model: string | undefined, operation: string, args: unknown, final = true): Promise<unknown> {
    endpoint.outstanding++;
    const started = performance.now();
    let pending: Promise<unknown>;
    try {
      pending = runOperation(this.registry.get(endpoint.id).client, model, operation, args);
    } catch (error) {
      pending = Promise.reject(error);
    }
    return pending.then(
      (result) => {
        endpoint.outstanding--;
        const ms = performance.now() - started;
        this.metrics.latency(ms);
        this.health.reportQuerySuccess(endpoint.id, ms);
        return result;
      },
      (error: unknown) => {
        endpoint.outstanding--;
        if (final) this.metrics.failedQuery(this.registry.endpoint(endpoint.id).group, kind);
        // The monitor tells a server's fault from a wrong query; a lost connection gets the server re-probed.
        this.health.reportQueryFailure(endpoint.id, error);
        // The last endpoint tried is out of reach (or its pool could not start a transaction in time): a 503
        // naming the group, not a driver error carrying a host and port.
        if (final && (isConnectionError(error) || isTransactionStartTimeout(error))) {
          throw new NoEndpointError(this.registry.endpoint(endpoint.id).group, model ? `${model}.${operation}` : operation, endpoint.id);
        }
        throw error;
      },
    );
  }
}

/** Prisma's P2028: an interactive transaction found no connection in time (a primary gone or saturated). */
function isTransactionStartTimeout(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'P2028';
}
