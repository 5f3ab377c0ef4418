import { describe, expect, it } from '@jest/globals';
import { RoutingMetrics } from './routing-metrics';

describe('RoutingMetrics', () => {
  it('counts per kind and per endpoint, fallbacks by reason and retries', () => {
    const metrics = new RoutingMetrics(['p', 'r1']);
    metrics.routed('read', 'r1');
    metrics.routed('read', 'r1');
    metrics.routed('write', 'p');
    metrics.fallback('no-replica-qualifies');
    metrics.fallback('read-after-write-in-request');
    metrics.retried();
    metrics.failedQuery('us-east', 'write');
    metrics.failedQuery('us-east', 'read');
    metrics.failedQuery('us-east', 'read');
    const snapshot = metrics.snapshot();
    expect(snapshot.queriesRouted).toEqual({
      total: 3,
      byKind: { write: 1, transactional: 0, read: 2, analytics: 0, background: 0 },
      byEndpoint: { p: 1, r1: 2 },
      byEndpointAndKind: {
        p: { write: 1, transactional: 0, read: 0, analytics: 0, background: 0 },
        r1: { write: 0, transactional: 0, read: 2, analytics: 0, background: 0 },
      },
    });
    expect(snapshot.fallbacksToPrimary).toBe(2);
    expect(snapshot.retries).toBe(1);
    expect(snapshot.failedQueries).toBe(3);
    expect(snapshot.failedByGroupAndKind).toEqual({ 'us-east': { write: 1, transactional: 0, read: 2, analytics: 0, background: 0 } });
  });

  it('averages all latencies and takes p95 over the recent window', () => {
    const metrics = new RoutingMetrics([]);
    for (let ms = 1; ms <= 100; ms++) metrics.latency(ms);
    expect(metrics.snapshot().averageLatencyMs).toBe(50.5);
    expect(metrics.snapshot().p95LatencyMs).toBe(95);
    // The window is bounded: 2,000 fast queries push the slow ones out of the p95.
    for (let i = 0; i < 2000; i++) metrics.latency(0.5);
    expect(metrics.snapshot().p95LatencyMs).toBe(0.5);
  });

  it('reports zeros before any query and after a reset', () => {
    const metrics = new RoutingMetrics(['p']);
    metrics.routed('read', 'p');
    metrics.latency(3);
    metrics.failedQuery('us-east', 'write');
    metrics.reset();
    expect(metrics.snapshot()).toEqual(expect.objectContaining({ averageLatencyMs: 0, p95LatencyMs: 0, retries: 0, fallbacksToPrimary: 0 }));
    expect(metrics.snapshot().queriesRouted.byEndpoint).toEqual({ p: 0 });
    expect(metrics.snapshot()).toEqual(expect.objectContaining({ failedQueries: 0, failedByGroupAndKind: {} }));
  });
});
