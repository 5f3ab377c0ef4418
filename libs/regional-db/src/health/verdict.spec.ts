import { describe, expect, it } from '@jest/globals';
import { INITIAL_VERDICT, isSettled, nextVerdict, Verdict } from './verdict';

const h = { failuresToDown: 2, successesToUp: 3 };
const run = (results: boolean[], from: Verdict = INITIAL_VERDICT) => {
  const seen: string[] = [];
  let v = from;
  for (const r of results) {
    v = nextVerdict(v, r, h);
    seen.push(v.status);
  }
  return { v, seen };
};

describe('nextVerdict', () => {
  it('puts a never-judged endpoint up on its first answer', () => {
    expect(run([true]).seen).toEqual(['up']);
  });

  it('needs N consecutive failures to go down, a success in between resets the count', () => {
    expect(run([true, false, true, false, false]).seen).toEqual(['up', 'up', 'up', 'up', 'down']);
  });

  it('confirms a never-reachable endpoint down after N failures', () => {
    expect(run([false, false]).seen).toEqual(['unknown', 'down']);
  });

  it('needs M consecutive successes to come back up (no flapping)', () => {
    const { seen, v } = run([false, false, true, true, false, true, true, true]);
    expect(seen).toEqual(['unknown', 'down', 'down', 'down', 'down', 'down', 'down', 'up']);
    expect(v).toEqual({ status: 'up', consecutiveFailures: 0, consecutiveSuccesses: 3 });
  });

  it('counts failures while down without overflowing into anything else', () => {
    const { v } = run([false, false, false, false]);
    expect(v).toEqual({ status: 'down', consecutiveFailures: 4, consecutiveSuccesses: 0 });
  });
});

describe('isSettled', () => {
  it('is unsettled while the last probe disagrees with the verdict', () => {
    expect(isSettled({ status: 'up', consecutiveFailures: 1, consecutiveSuccesses: 0 }, false)).toBe(false);
    expect(isSettled({ status: 'down', consecutiveFailures: 0, consecutiveSuccesses: 1 }, true)).toBe(false);
    expect(isSettled({ status: 'unknown', consecutiveFailures: 1, consecutiveSuccesses: 0 }, false)).toBe(false);
    expect(isSettled({ status: 'down', consecutiveFailures: 2, consecutiveSuccesses: 0 }, false)).toBe(true);
    expect(isSettled({ status: 'up', consecutiveFailures: 0, consecutiveSuccesses: 1 }, true)).toBe(true);
  });
});
