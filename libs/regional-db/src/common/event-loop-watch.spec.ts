import { describe, expect, it } from '@jest/globals';
import { EventLoopWatch } from './event-loop-watch';

describe('EventLoopWatch', () => {
  it('records a late tick as a stall and measures its overlap with any stretch of time', () => {
    let now = 1000;
    const watch = new EventLoopWatch(() => now);
    watch.acquire();
    try {
      for (let i = 0; i < 5; i++) {
        now += 20;
        watch.tick();
      }
      now += 20 + 700; // one tick 700 ms late: the loop was blocked from 1120 to 1820
      watch.tick();
      expect(watch.stalledMs(1000, 1100)).toBe(0);
      expect(watch.stalledMs(1000, 2000)).toBe(700);
      expect(watch.stalledMs(1500, 1600)).toBe(100);
      expect(watch.longestStallMs(10_000)).toBe(700);
      // A stall still going on (the drift timer has not run yet) counts too.
      now += 400; // due at 1840, now 2220: stalled 1840..2220
      expect(watch.stalledMs(1900, now)).toBeCloseTo(320, 5);
    } finally {
      watch.release();
    }
    expect(watch.running).toBe(false);
  });

  it('ignores timer slop', () => {
    let now = 0;
    const watch = new EventLoopWatch(() => now);
    watch.acquire();
    for (let i = 0; i < 50; i++) {
      now += 23;
      watch.tick();
    }
    watch.release();
    expect(watch.stalledMs(0, now)).toBe(0);
  });
});
