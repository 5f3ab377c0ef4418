/**
 * Whether a bounded wait on a server (a probe, a connect, a failover's re-check) that our own timer ended says
 * anything about the server. It does only if our event loop gave it the time asked: a timer that fired far later
 * than set, or a loop blocked for a good part of the wait (a busy loop, a CPU-starved process), measured us, not
 * the server. Such a wait is `inconclusive`: it counts neither toward down nor toward up. (An answer, however
 * late it is read, is an answer; an error the server or the socket gave, a refusal above all, is a failure:
 * neither is a timeout, and `waitWithin` never asks.)
 */
export type ProbeJudgement = 'failed' | 'inconclusive';

export interface TimeoutFacts {
  /** The bound the timer was set for. */
  askedMs: number;
  /** Real time from arming the timer to judging (`performance.now()`). */
  elapsedMs: number;
  /** How long our event loop was blocked within the asked window ([armed, armed + askedMs]). */
  loopDelayMs: number;
}

/** A timer later than this share of its own bound ("the timeout again") measured us. */
export const LATE_TIMER_SHARE = 1;
/** A loop blocked for this share of the asked window or more gave the server no fair wait. */
export const BLOCKED_WAIT_SHARE = 0.5;

export function probeVerdict(f: TimeoutFacts): ProbeJudgement {
  const lateMs = f.elapsedMs - f.askedMs;
  if (lateMs > f.askedMs * LATE_TIMER_SHARE) return 'inconclusive';
  if (f.loopDelayMs >= f.askedMs * BLOCKED_WAIT_SHARE) return 'inconclusive';
  return 'failed';
}
