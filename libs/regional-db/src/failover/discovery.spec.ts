import { describe, expect, it } from '@jest/globals';
import { decidePrimary, ServerReport } from './discovery';

const primary = (id: string, timeline = 1, fenced = false): ServerReport => ({
  id,
  position: { inRecovery: false, fenced, lsn: '0/3000000', timeline, receiver: null },
});
const replica = (id: string): ServerReport => ({ id, position: { inRecovery: true, fenced: false, lsn: '0/3000000', timeline: 1, receiver: 'streaming' } });
const down = (id: string): ServerReport => ({ id, position: null });

describe('decidePrimary', () => {
  it('takes the only writable server, wherever the configuration put the primary', () => {
    expect(decidePrimary([down('p'), primary('r1', 2), replica('r2')], null)).toEqual({ kind: 'primary', primaryId: 'r1', fence: [] });
  });

  it('never counts a fenced former primary as writable', () => {
    expect(decidePrimary([primary('p', 1, true), primary('r1', 2)], null)).toEqual({ kind: 'primary', primaryId: 'r1', fence: [] });
  });

  it('serves no writes when two servers claim to be primary and nobody agreed on one, whatever their timelines', () => {
    expect(decidePrimary([primary('p', 1), primary('r1', 2)], null)).toEqual({
      kind: 'split-brain',
      writable: [{ id: 'p', timeline: 1 }, { id: 'r1', timeline: 2 }],
    });
  });

  it('does not trust an agreement that a later timeline contradicts (a promotion whose record was lost)', () => {
    expect(decidePrimary([primary('p', 1), primary('r1', 2), replica('r2')], 'p')).toEqual({
      kind: 'split-brain',
      writable: [{ id: 'p', timeline: 1 }, { id: 'r1', timeline: 2 }],
    });
  });

  it('keeps the agreed primary and fences the other writable ones', () => {
    expect(decidePrimary([primary('p', 1), primary('r1', 2), replica('r2')], 'r1')).toEqual({ kind: 'primary', primaryId: 'r1', fence: ['p'] });
  });

  it('finds none when no server is writable', () => {
    expect(decidePrimary([down('p'), replica('r1')], 'p')).toEqual({ kind: 'none' });
  });
});
