import { eventLoopWatch, EventLoopWatch } from '../common/event-loop-watch';
import { ProbeJudgement, probeVerdict } from './probe-verdict';

export interface TimedOut {
  done: false;
  /** `failed`: the server had its fair wait and did not answer; `inconclusive`: our own loop was too late to judge. */
  verdict: ProbeJudgement;
  askedMs: number;
  elapsedMs: number;
  loopDelayMs: number;
}

export type Waited<T> = { done: true; value: T } | TimedOut;

/**
 * Waits for `work` at most `askedMs`, and judges a timeout (`probeVerdict`). Rejects as `work` does. `work` is left
 * running after a timeout: the caller decides whether to drop it or wait on it again.
 *
 * The judgement waits one `setImmediate` after the timer: a loop turn runs expired timers before it reads sockets,
 * so after a stall the timer fires before an answer that arrived meanwhile is read. The immediate runs after that
 * read (the poll phase), and an answer that is there wins.
 */
export function waitWithin<T>(work: Promise<T>, askedMs: number, watch: EventLoopWatch = eventLoopWatch): Promise<Waited<T>> {
  return new Promise((resolve, reject) => {
    const armed = performance.now();
    let over = false;
    const timer = setTimeout(() => {
      setImmediate(() => {
        if (over) return;
        over = true;
        const elapsedMs = performance.now() - armed;
        const loopDelayMs = watch.stalledMs(armed, armed + askedMs);
        resolve({ done: false, verdict: probeVerdict({ askedMs, elapsedMs, loopDelayMs }), askedMs, elapsedMs, loopDelayMs });
      });
    }, askedMs);
    work.then(
      (value) => {
        if (over) return;
        over = true;
        clearTimeout(timer);
        resolve({ done: true, value });
      },
      (error: unknown) => {
        if (over) return;
        over = true;
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** A bounded wait ended by our own late timer: nothing is known of the server. */
export class InconclusiveWaitError extends Error {
  constructor(
    readonly what: string,
    readonly waited: TimedOut,
  ) {
    super(`${what}: inconclusive, our event loop was too late to judge (timer set for ${Math.round(waited.askedMs)} ms fired after ${Math.round(waited.elapsedMs)} ms, loop blocked ${Math.round(waited.loopDelayMs)} ms of the wait)`);
    this.name = 'InconclusiveWaitError';
  }
}
