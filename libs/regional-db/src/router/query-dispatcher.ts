import type { EndpointRegistry } from '../database/endpoint-registry';
import { isConnectionError, isMissingSchema, isRecoveryConflict } from '../health/connection-errors';
import type { TopologyStateService } from '../topology-state/topology-state.service';
import { parseLsn } from '../database/lsn';
import { NoEndpointError, SchemaNotMigratedError } from './no-endpoint.error';
import { isReadOperation } from './prisma-operations';
import { ReadKind, ReplicaCandidate, SelectionRequest, selectEndpoint } from './replica-selector';
import { prismaCall, RoutedCall } from './routed-client';
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
  /**
   * This tick's read choice of the client (endpoint null once the tick is over; one object per route, reused):
   * calls made in one tick go to one endpoint, so Prisma's batching (it merges `findUnique` calls made before
   * `process.nextTick`) survives routing.
   */
  readonly tickChoice: TickChoice;
}

export interface TickChoice {
  endpoint: ReplicaCandidate | null;
  callerRegion: string;
  minLsn: bigint | null;
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
  /** Routes holding a choice for the current tick; one `process.nextTick` forgets them all. */
  private readonly chosenThisTick: Route[] = [];
  private readonly forgetTickChoices = () => {
    for (const route of this.chosenThisTick) route.tickChoice.endpoint = null;
    this.chosenThisTick.length = 0;
  };

  constructor(
    private readonly table: RoutingTable,
    private readonly registry: EndpointRegistry,
    private readonly state: TopologyStateService,
    private readonly health: EndpointHealthSource,
    private readonly metrics: RoutingMetrics,
  ) {}

  /** Not async, as `execute`: every promise layer on this path costs CPU per query. May throw (no endpoint). */
  run(route: Route, call: RoutedCall): Promise<unknown> {
    const { model, operation, context } = call;
    const group = this.table.group(route.group)!;
    if (route.kind === 'write' || !isReadOperation(operation)) {
      // Recorded before running (a write that fails after reaching the server may still have committed); a model
      // read on the primary writes nothing, a raw query may.
      if (context && !(model && isReadOperation(operation))) context.wroteTo.add(route.group);
      return this.execute(this.primary(group, 'write'), 'write', call, null);
    }
    if (context?.wroteTo.has(route.group)) {
      // This request wrote here and has no position for it yet: only the primary is certain to have it.
      this.metrics.fallback('read-after-write-in-request');
      return this.execute(this.primary(group, route.kind), route.kind, call, null);
    }
    const minLsn = route.minLsn ?? parseLsn(context?.readAfter.get(route.group));
    return this.execute(this.chooseForTick(group, route, context?.region ?? route.callerRegion, minLsn), route.kind, call, route);
  }

  /** A `$transaction` call (an interactive one's function, or a batch of unrun calls) on the group's current primary. */
  transaction(group: string, call: RoutedCall): Promise<unknown> {
    const primary = this.primary(this.table.group(group)!, 'transactional');
    call.context?.wroteTo.add(group);
    return this.execute(primary, 'transactional', call, null);
  }

  /** A read that failed on a lost connection (or a recovery conflict), once more on the next best endpoint. */
  private retry(route: Route, call: RoutedCall, failed: ReplicaCandidate): Promise<unknown> {
    const group = this.table.group(route.group)!;
    const minLsn = route.minLsn ?? parseLsn(call.context?.readAfter.get(route.group));
    let next: ReplicaCandidate;
    try {
      next = this.choose(group, route, call.context?.region ?? route.callerRegion, minLsn, failed.id);
    } catch {
      // Nowhere else to go: a 503 naming the group and the endpoint that failed.
      this.metrics.failedQuery(group.name, route.kind);
      throw new NoEndpointError(group.name, call.model ? `${call.model}.${call.operation}` : call.operation, failed.id);
    }
    this.metrics.retried();
    return this.execute(next, route.kind, call, null);
  }

  /** The route's choice made earlier in this tick, if it still holds (same caller and position, nothing changed since). */
  private chooseForTick(group: GroupRoutes, route: Route, callerRegion: string, minLsn: bigint | null): ReplicaCandidate {
    const held = route.tickChoice;
    if (held.endpoint !== null && !group.stale && held.callerRegion === callerRegion && held.minLsn === minLsn && held.endpoint.available) {
      // A read held on the primary is a fallback each time, as when it was chosen.
      if (held.endpoint.isPrimary) this.metrics.fallback('no-replica-qualifies');
      this.metrics.routed(route.kind, held.endpoint.id);
      return held.endpoint;
    }
    const endpoint = this.choose(group, route, callerRegion, minLsn, null);
    if (held.endpoint === null) {
      if (this.chosenThisTick.length === 0) process.nextTick(this.forgetTickChoices);
      this.chosenThisTick.push(route);
    }
    held.endpoint = endpoint;
    held.callerRegion = callerRegion;
    held.minLsn = minLsn;
    return endpoint;
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
   * `retry`: the read's route when a failure on a lost connection is to be retried elsewhere (null: the failure
   * is final and counts as a failed query). Promise callbacks rather than an async function: one promise layer
   * less per query, measurably cheaper on this path.
   */
  private execute(endpoint: ReplicaCandidate, kind: OperationKind, call: RoutedCall, retry: Route | null): Promise<unknown> {
    endpoint.outstanding++;
    const started = performance.now();
    let pending: Promise<unknown>;
    try {
      pending = prismaCall(this.registry.get(endpoint.id).client, call);
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
        // The monitor tells a server's fault from a wrong query; a lost connection gets the server re-probed.
        this.health.reportQueryFailure(endpoint.id, error);
        const lost = isConnectionError(error);
        if (retry !== null && (lost || isRecoveryConflict(error))) return this.retry(retry, call, endpoint);
        const group = this.registry.endpoint(endpoint.id).group;
        this.metrics.failedQuery(group, kind);
        const query = call.model ? `${call.model}.${call.operation}` : call.operation;
        // The last endpoint tried is out of reach (or its pool could not start a transaction in time): a 503
        // naming the group, not a driver error carrying a host and port.
        if (lost || isTransactionStartTimeout(error)) throw new NoEndpointError(group, query, endpoint.id);
        if (isMissingSchema(error)) throw new SchemaNotMigratedError(group, query, endpoint.id);
        throw error;
      },
    );
  }
}

/** Prisma's P2028: an interactive transaction found no connection in time (a primary gone or saturated). */
function isTransactionStartTimeout(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'P2028';
}
