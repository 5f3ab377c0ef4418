/**
 * Bounded, allocation-free per-endpoint statistics: a ring of probe round-trip times (percentiles, probe
 * error rate) and a sliding window of live traffic fed from the router's hot path (throughput, error rate).
 */

export interface ProbeRecord {
  at: string;
  reachable: boolean;
  latencyMs: number;
}

export interface ProbeStats {
  samples: number;
  failures: number;
  errorRate: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

export interface TrafficStats {
  windowMs: number;
  queries: number;
  failures: number;
  errorRate: number;
  throughputPerSec: number;
  avgLatencyMs: number | null;
}

/** Nearest-rank percentile of ascending `sorted`; null when empty. */
export function percentile(sorted: ArrayLike<number>, p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

export class ProbeHistory {
  private readonly at: Float64Array;
  private readonly latency: Float64Array;
  private readonly reachable: Uint8Array;
  private next = 0;
  private size = 0;

  constructor(readonly capacity = 256) {
    this.at = new Float64Array(capacity);
    this.latency = new Float64Array(capacity);
    this.reachable = new Uint8Array(capacity);
  }

  push(at: number, latencyMs: number, reachable: boolean): void {
    this.at[this.next] = at;
    this.latency[this.next] = latencyMs;
    this.reachable[this.next] = reachable ? 1 : 0;
    this.next = (this.next + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  /** The last `limit` probes, oldest first. */
  recent(limit: number): ProbeRecord[] {
    const count = Math.min(limit, this.size);
    const out: ProbeRecord[] = [];
    for (let k = count; k >= 1; k--) {
      const i = (this.next - k + this.capacity) % this.capacity;
      out.push({ at: new Date(this.at[i]).toISOString(), reachable: this.reachable[i] === 1, latencyMs: round(this.latency[i]) });
    }
    return out;
  }

  stats(): ProbeStats {
    const ok: number[] = [];
    for (let k = 0; k < this.size; k++) if (this.reachable[k] === 1) ok.push(this.latency[k]);
    const sorted = Float64Array.from(ok).sort();
    const failures = this.size - ok.length;
    const p = (q: number) => {
      const v = percentile(sorted, q);
      return v === null ? null : round(v);
    };
    return { samples: this.size, failures, errorRate: this.size ? failures / this.size : 0, p50Ms: p(50), p95Ms: p(95), p99Ms: p(99) };
  }
}

/** Live query outcomes in `buckets` slots of `bucketMs`; `record` is O(1) and allocates nothing. */
export class TrafficWindow {
  private readonly slot: Float64Array;
  private readonly queries: Uint32Array;
  private readonly failures: Uint32Array;
  private readonly latencySum: Float64Array;
  private readonly latencyCount: Uint32Array;

  constructor(
    private readonly startedAt: number,
    private readonly buckets = 60,
    private readonly bucketMs = 1_000,
  ) {
    this.slot = new Float64Array(buckets).fill(-1);
    this.queries = new Uint32Array(buckets);
    this.failures = new Uint32Array(buckets);
    this.latencySum = new Float64Array(buckets);
    this.latencyCount = new Uint32Array(buckets);
  }

  /** One query: its latency when it completed, null when it failed without one. */
  record(now: number, latencyMs: number | null, failed: boolean): void {
    const slot = Math.floor(now / this.bucketMs);
    const i = slot % this.buckets;
    if (this.slot[i] !== slot) {
      this.slot[i] = slot;
      this.queries[i] = 0;
      this.failures[i] = 0;
      this.latencySum[i] = 0;
      this.latencyCount[i] = 0;
    }
    this.queries[i]++;
    if (failed) this.failures[i]++;
    if (latencyMs !== null) {
      this.latencySum[i] += latencyMs;
      this.latencyCount[i]++;
    }
  }

  stats(now: number): TrafficStats {
    const current = Math.floor(now / this.bucketMs);
    let queries = 0;
    let failures = 0;
    let latencySum = 0;
    let latencyCount = 0;
    for (let i = 0; i < this.buckets; i++) {
      if (this.slot[i] <= current - this.buckets || this.slot[i] > current) continue;
      queries += this.queries[i];
      failures += this.failures[i];
      latencySum += this.latencySum[i];
      latencyCount += this.latencyCount[i];
    }
    const windowMs = this.buckets * this.bucketMs;
    // Right after start the window is not full yet: throughput over the time actually observed.
    const observedMs = Math.max(this.bucketMs, Math.min(windowMs, now - this.startedAt));
    return {
      windowMs,
      queries,
      failures,
      errorRate: queries ? failures / queries : 0,
      throughputPerSec: round((queries * 1_000) / observedMs),
      avgLatencyMs: latencyCount ? round(latencySum / latencyCount) : null,
    };
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
