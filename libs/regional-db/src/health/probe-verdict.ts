/**
 * Whether a bounded wait on a server (a probe, a connect, a failover's re-check) says anything about the server.
 * A timeout is a verdict on the server only if our own event loop gave it the time asked: a timer that fired far
 * later than set, or a loop blocked for a good part of the wait (a busy loop, a CPU-starved process), measured
 * us, not the server. Such a wait is `inconclusive`: it counts neither toward down nor toward up.
 */
export type ProbeJudgement = 'answered' | 'failed' | 'inconclusive';

export interface ProbeFacts {
  /** The server answered (an answer read, even after our timer fired, is an answer). */
  answered: boolean;
  /** The wait ended by our own timer (not by an error the server or the socket gave). */
  timedOut: boolean;
  /** Connection refused (ECONNREFUSED): nothing listens, whatever our loop did. */
  refused?: boolean;
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

export function probeVerdict(f: ProbeFacts): ProbeJudgement {
  if (f.answered) return 'answered';
  // An error, not a timeout: the server (or the network) said so, not our timer. Refused above all.
  if (f.refused || !f.timedOut) return 'failed';
  const lateMs = f.elapsedMs - f.askedMs;
  if (lateMs > f.askedMs * LATE_TIMER_SHARE) return 'inconclusive';
  if (f.loopDelayMs >= f.askedMs * BLOCKED_WAIT_SHARE) return 'inconclusive';
  return 'failed';
}

