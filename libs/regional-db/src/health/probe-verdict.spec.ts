import { describe, expect, it } from '@jest/globals';
import { probeVerdict, TimeoutFacts } from './probe-verdict';

const timeout = (f: Partial<TimeoutFacts>): TimeoutFacts => ({ askedMs: 1000, elapsedMs: 1002, loopDelayMs: 0, ...f });

describe('probeVerdict', () => {
  it('a timeout on a healthy loop is a failure: a dead server is judged as fast as ever', () => {
    expect(probeVerdict(timeout({}))).toBe('failed');
    expect(probeVerdict(timeout({ elapsedMs: 1900, loopDelayMs: 100 }))).toBe('failed');
    expect(probeVerdict(timeout({ elapsedMs: 1000, loopDelayMs: 499 }))).toBe('failed');
  });

  it('a timer that fired later than its own bound again measured us: inconclusive', () => {
    expect(probeVerdict(timeout({ elapsedMs: 2001 }))).toBe('inconclusive');
    expect(probeVerdict(timeout({ askedMs: 200, elapsedMs: 650, loopDelayMs: 0 }))).toBe('inconclusive');
  });

  it('a loop blocked for half the asked wait or more gave the server no fair wait: inconclusive', () => {
    expect(probeVerdict(timeout({ elapsedMs: 1010, loopDelayMs: 500 }))).toBe('inconclusive');
    expect(probeVerdict(timeout({ elapsedMs: 1500, loopDelayMs: 900 }))).toBe('inconclusive');
  });
});
