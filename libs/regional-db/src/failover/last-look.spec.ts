import { describe, expect, it } from '@jest/globals';
import { InconclusiveWaitError } from '../health/judged-wait';
import { lastLook } from './last-look';

const position = (inRecovery: boolean, fenced: boolean) => ({ inRecovery, fenced, lsn: '0/1', timeline: 1, receiver: null });

describe('lastLook', () => {
  it('a writable, open primary answers again: nothing to fail over', () => {
    expect(lastLook({ position: position(false, false) })).toBe('answers');
  });

  it('a server in recovery or fenced is no primary to keep', () => {
    expect(lastLook({ position: position(true, false) })).toBe('down');
    expect(lastLook({ position: position(false, true) })).toBe('down');
  });

  it('a fair timeout or an error is down; a timer our own loop fired too late is inconclusive', () => {
    expect(lastLook({ error: new Error('no answer within 500 ms') })).toBe('down');
    expect(lastLook({ error: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) })).toBe('down');
    const late = new InconclusiveWaitError('no judgement within 500 ms', { done: false, verdict: 'inconclusive', askedMs: 500, elapsedMs: 1600, loopDelayMs: 1100 });
    expect(lastLook({ error: late })).toBe('inconclusive');
  });
});
