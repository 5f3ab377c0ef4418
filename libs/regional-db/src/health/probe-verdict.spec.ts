import { describe, expect, it } from '@jest/globals';
import { probeVerdict, ProbeFacts } from './probe-verdict';

const timeout = (f: Partial<ProbeFacts>): ProbeFacts => ({ answered: false, timedOut: true, askedMs: 1000, elapsedMs: 1002, loopDelayMs: 0, ...f });

describe('probeVerdict', () => {
  it('an answer is an answer, however late our loop read it', () => {
    expect(probeVerdict(timeout({ answered: true, elapsedMs: 9000, loopDelayMs: 8000 }))).toBe('answered');
  });

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

  it('a refused connection is never inconclusive: nothing listens, whatever our loop did', () => {
    expect(probeVerdict(timeout({ refused: true, timedOut: false, elapsedMs: 5000, loopDelayMs: 4000 }))).toBe('failed');
    expect(probeVerdict(timeout({ refused: true, elapsedMs: 5000, loopDelayMs: 4000 }))).toBe('failed');
  });

  it('an error the server or the socket gave (not our timer) is a failure', () => {
    expect(probeVerdict(timeout({ timedOut: false, elapsedMs: 3000, loopDelayMs: 2500 }))).toBe('failed');
  });
});
