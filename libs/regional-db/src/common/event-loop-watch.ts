/**
 * How long this process's own event loop could not run, over any recent stretch of time: a drift timer ticks every
 * `TICK_MS`, and a tick that comes later than asked records the gap as a stall. A timeout that measures a server
 * must know whether it measured the server or us (a busy loop, a CPU-starved process, a long GC).
 *
 * One watch per process (there is one event loop), started while anything uses it (`acquire` / `release`), its
 * timer unref'd. 50 wake-ups a second cost a few microseconds each.
 */
const TICK_MS = 20;
/** A tick this much late or less is timer slop, not a stall. */
const NOISE_MS = 5;
/** Stalls older than this are forgotten (longer than any probe, connect or re-check waits). */
const KEEP_MS = 120_000;
const MAX_STALLS = 4096;

interface Stall {
  from: number;
  to: number;
}

const overlap = (a: number, b: number, from: number, to: number) => Math.max(0, Math.min(b, to) - Math.max(a, from));

export class EventLoopWatch {
  private timer: NodeJS.Timeout | null = null;
  private last = 0;
  private users = 0;
  private readonly stalls: Stall[] = [];

  constructor(private readonly now: () => number = () => performance.now()) {}

  acquire(): void {
    if (this.users++ > 0) return;
    this.last = this.now();
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.timer.unref();
  }

  release(): void {
    if (this.users === 0 || --this.users > 0) return;
    clearInterval(this.timer!);
    this.timer = null;
  }

  get running(): boolean {
    return this.timer !== null;
  }

  /** Milliseconds of [from, to] (`performance.now()` times) during which the loop was blocked, a stall still going on included. */
  stalledMs(from: number, to: number = this.now()): number {
    let total = 0;
    for (let i = this.stalls.length - 1; i >= 0; i--) {
      const s = this.stalls[i];
      if (s.to <= from) break;
      total += overlap(s.from, s.to, from, to);
    }
    if (this.timer) {
      // Called from a callback that ran late: the drift timer may not have run yet to record this very stall.
      const due = this.last + TICK_MS;
      if (this.now() - due > NOISE_MS) total += overlap(due, this.now(), from, to);
    }
    return total;
  }

  /** The longest single stall that ended within the last `withinMs`. */
  longestStallMs(withinMs: number): number {
    const since = this.now() - withinMs;
    let longest = 0;
    for (let i = this.stalls.length - 1; i >= 0 && this.stalls[i].to > since; i--) longest = Math.max(longest, this.stalls[i].to - this.stalls[i].from);
    return longest;
  }

  /** Exposed for tests: what one tick of the drift timer does. */
  tick(): void {
    const now = this.now();
    const late = now - this.last - TICK_MS;
    if (late > NOISE_MS) {
      this.stalls.push({ from: now - late, to: now });
      const horizon = now - KEEP_MS;
      let drop = 0;
      while (drop < this.stalls.length && (this.stalls[drop].to < horizon || this.stalls.length - drop > MAX_STALLS)) drop++;
      if (drop) this.stalls.splice(0, drop);
    }
    this.last = now;
  }
}

/** The process's one watch. */
export const eventLoopWatch = new EventLoopWatch();
