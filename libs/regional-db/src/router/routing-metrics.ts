import type { SelectionReason } from './replica-selector';

/** Seed 004's operation kinds. */
export const OPERATION_KINDS = ['write', 'transactional', 'read', 'analytics', 'background'] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];

/** Why a read went to the primary. */
export type FallbackReason = Extract<SelectionReason, 'no-replica-qualifies'> | 'read-after-write-in-request';

export interface RoutingMetricsSnapshot {
  queriesRouted: {
    total: number;
    byKind: Record<OperationKind, number>;
    byEndpoint: Record<string, number>;
    /** endpoint -> kind -> count: the pairs behind both totals above. */
    byEndpointAndKind: Record<string, Record<OperationKind, number>>;
  };
  fallbacksToPrimary: number;
  fallbacksByReason: Record<FallbackReason, number>;
  /** Reads retried on another endpoint after a connection-level failure. */
  retries: number;
  /** Queries that failed in the end (after the retry, for reads). */
  failedQueries: number;
  /** group -> kind -> count: the failures behind the total above. */
  failedByGroupAndKind: Record<string, Record<OperationKind, number>>;
  averageLatencyMs: number;
  /** Over the last `LATENCY_WINDOW` queries. */
  p95LatencyMs: number;
  since: string;
}

const LATENCY_WINDOW = 1024;

/** Counters and a bounded ring of latencies: constant memory, O(1) per query, the sort only when read. */
export class RoutingMetrics {
  private readonly byKind = zeroKinds();
  private readonly byEndpoint = new Map<string, Record<OperationKind, number>>();
  private readonly fallbacks: Record<FallbackReason, number> = { 'no-replica-qualifies': 0, 'read-after-write-in-request': 0 };
  private retries = 0;
  private failed = 0;
  private readonly failedByGroup = new Map<string, Record<OperationKind, number>>();
  private total = 0;
  private latencySum = 0;
  private readonly latencies = new Float64Array(LATENCY_WINDOW);
  private latencyCount = 0;
  private since = new Date();

  constructor(endpointIds: readonly string[]) {
    for (const id of endpointIds) this.byEndpoint.set(id, zeroKinds());
  }

  routed(kind: OperationKind, endpointId: string): void {
    this.total++;
    this.byKind[kind]++;
    let counts = this.byEndpoint.get(endpointId);
    if (!counts) this.byEndpoint.set(endpointId, (counts = zeroKinds()));
    counts[kind]++;
  }

  fallback(reason: FallbackReason): void {
    this.fallbacks[reason]++;
  }

  retried(): void {
    this.retries++;
  }

  failedQuery(group: string, kind: OperationKind): void {
    this.failed++;
    let counts = this.failedByGroup.get(group);
    if (!counts) this.failedByGroup.set(group, (counts = zeroKinds()));
    counts[kind]++;
  }

  latency(ms: number): void {
    this.latencySum += ms;
    this.latencies[this.latencyCount++ % LATENCY_WINDOW] = ms;
  }

  snapshot(): RoutingMetricsSnapshot {
    const measured = Math.min(this.latencyCount, LATENCY_WINDOW);
    const window = this.latencies.slice(0, measured).sort();
    return {
      queriesRouted: {
        total: this.total,
        byKind: { ...this.byKind },
        byEndpoint: Object.fromEntries([...this.byEndpoint].map(([id, counts]) => [id, OPERATION_KINDS.reduce((n, k) => n + counts[k], 0)])),
        byEndpointAndKind: Object.fromEntries([...this.byEndpoint].map(([id, counts]) => [id, { ...counts }])),
      },
      fallbacksToPrimary: this.fallbacks['no-replica-qualifies'] + this.fallbacks['read-after-write-in-request'],
      fallbacksByReason: { ...this.fallbacks },
      retries: this.retries,
      failedQueries: this.failed,
      failedByGroupAndKind: Object.fromEntries([...this.failedByGroup].map(([group, counts]) => [group, { ...counts }])),
      averageLatencyMs: this.latencyCount === 0 ? 0 : round(this.latencySum / this.latencyCount),
      p95LatencyMs: measured === 0 ? 0 : round(window[Math.min(measured - 1, Math.ceil(measured * 0.95) - 1)]),
      since: this.since.toISOString(),
    };
  }

  reset(): void {
    for (const kind of Object.keys(this.byKind) as OperationKind[]) this.byKind[kind] = 0;
    for (const id of this.byEndpoint.keys()) this.byEndpoint.set(id, zeroKinds());
    this.fallbacks['no-replica-qualifies'] = 0;
    this.fallbacks['read-after-write-in-request'] = 0;
    this.failedByGroup.clear();
    this.retries = this.failed = this.total = this.latencySum = this.latencyCount = 0;
    this.since = new Date();
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

function zeroKinds(): Record<OperationKind, number> {
  return { write: 0, transactional: 0, read: 0, analytics: 0, background: 0 };
}
