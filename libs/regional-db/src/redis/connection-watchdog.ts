/** What to do with a coordination connection that is not ready: wait, connect it again, or restart the attempt. */
export type ConnectionRemedy = 'wait' | 'connect' | 'restart';

/** An attempt (connecting, or connected but not yet ready) unfinished this long is stuck, not slow. */
export const STALLED_ATTEMPT_MS = 5_000;

/**
 * ioredis can be left without a connection and without a retry: after a Sentinel failover, a late
 * `+switch-master` that lands while the client reconnects ends it for good ('end'), and an attempt can hang
 * between connecting and ready. Coordination must come back on its own, so this decides when to step in.
 */
export function connectionRemedy(status: string, notReadyForMs: number): ConnectionRemedy {
  if (status === 'end') return 'connect';
  if ((status === 'connecting' || status === 'connect') && notReadyForMs >= STALLED_ATTEMPT_MS) return 'restart';
  return 'wait';
}
