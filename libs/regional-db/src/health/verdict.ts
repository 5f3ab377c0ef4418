/**
 * The debounced up/down verdict of one endpoint: down only after N consecutive failed probes, up again only
 * after M good ones, so a single lost packet or a single lucky answer does not flip routing.
 */
export type EndpointStatus = 'unknown' | 'up' | 'down';

export interface Verdict {
  /** `unknown` until the endpoint first answers or is confirmed down. */
  status: EndpointStatus;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
}

export interface Hysteresis {
  failuresToDown: number;
  successesToUp: number;
}

export const INITIAL_VERDICT: Verdict = { status: 'unknown', consecutiveFailures: 0, consecutiveSuccesses: 0 };

export function nextVerdict(current: Verdict, reachable: boolean, h: Hysteresis): Verdict {
  if (reachable) {
    const successes = current.consecutiveSuccesses + 1;
    // A never-judged endpoint that answers is up at once: nothing to debounce against yet.
    const up = current.status === 'unknown' || current.status === 'up' || successes >= h.successesToUp;
    return { status: up ? 'up' : 'down', consecutiveFailures: 0, consecutiveSuccesses: successes };
  }
  const failures = current.consecutiveFailures + 1;
  const down = current.status === 'down' || failures >= h.failuresToDown;
  return { status: down ? 'down' : current.status, consecutiveFailures: failures, consecutiveSuccesses: 0 };
}

/** True when the last probe agrees with the verdict; otherwise the endpoint is re-probed quickly to settle it. */
export function isSettled(verdict: Verdict, lastReachable: boolean): boolean {
  return lastReachable ? verdict.status === 'up' : verdict.status === 'down';
}
