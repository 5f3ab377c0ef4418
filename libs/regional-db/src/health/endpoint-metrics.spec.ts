import { describe, expect, it } from '@jest/globals';
import { percentile, ProbeHistory, TrafficWindow } from './endpoint-metrics';

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99), percentile(sorted, 100)]).toEqual([50, 95, 99, 100]);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNull();
  });
});

describe('ProbeHistory', () => {
  it('keeps the last `capacity` probes, oldest first, and computes percentiles over reachable ones', () => {
    const h = new ProbeHistory(4);
    [1, 2, 3, 4, 5, 6].forEach((ms, i) => h.push(Date.UTC(2026, 0, 1, 0, 0, i), ms, ms !== 5));
    expect(h.recent(10).map((r) => [r.latencyMs, r.reachable])).toEqual([[3, true], [4, true], [5, false], [6, true]]);
    expect(h.recent(2).map((r) => r.latencyMs)).toEqual([5, 6]);
    expect(h.recent(1)[0].at).toBe('2026-01-01T00:00:05.000Z');
    expect(h.stats()).toEqual({ samples: 4, failures: 1, errorRate: 0.25, p50Ms: 4, p95Ms: 6, p99Ms: 6 });
  });

  it('reports nothing before the first probe', () => {
    expect(new ProbeHistory().stats()).toEqual({ samples: 0, failures: 0, errorRate: 0, p50Ms: null, p95Ms: null, p99Ms: null });
  });
});

describe('TrafficWindow', () => {
  it('sums the window and forgets what slid out of it', () => {
    const w = new TrafficWindow(0, 10, 1_000);
    for (let t = 0; t < 10_000; t += 100) w.record(t, 2, t % 1_000 === 0);
    expect(w.stats(9_999)).toEqual({ windowMs: 10_000, queries: 100, failures: 10, errorRate: 0.1, throughputPerSec: 10, avgLatencyMs: 2 });
    // Five seconds later only the last five buckets count.
    expect(w.stats(14_999)).toMatchObject({ queries: 50, failures: 5 });
    expect(w.stats(30_000)).toMatchObject({ queries: 0, errorRate: 0, avgLatencyMs: null });
  });

  it('reuses a bucket for a new second instead of adding to the old one', () => {
    const w = new TrafficWindow(0, 2, 1_000);
    w.record(500, 1, false);
    w.record(2_500, 3, true);
    expect(w.stats(2_600)).toMatchObject({ queries: 1, failures: 1, avgLatencyMs: 3 });
  });

  it('measures throughput over the time observed right after start', () => {
    const w = new TrafficWindow(1_000_000, 60, 1_000);
    for (let i = 0; i < 20; i++) w.record(1_000_000 + i * 100, null, false);
    expect(w.stats(1_002_000).throughputPerSec).toBe(10);
  });
});
