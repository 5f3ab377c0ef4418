import { describe, expect, it } from '@jest/globals';
import { tallyVotes } from './quorum';

describe('tallyVotes', () => {
  it('lets a lone instance decide alone', () => {
    expect(tallyVotes('a', [], ['a'])).toEqual({ live: ['a'], votes: ['a'], needed: 1, reached: true });
  });

  it('needs a strict majority of the live instances', () => {
    expect(tallyVotes('a', ['a', 'b', 'c'], ['a']).reached).toBe(false);
    expect(tallyVotes('a', ['a', 'b', 'c'], ['a', 'c'])).toMatchObject({ votes: ['a', 'c'], needed: 2, reached: true });
    expect(tallyVotes('a', ['a', 'b', 'c', 'd'], ['a', 'b']).reached).toBe(false);
    expect(tallyVotes('a', ['a', 'b', 'c', 'd'], ['a', 'b', 'd']).reached).toBe(true);
  });

  it('counts this instance as live even when its own heartbeat is missing', () => {
    expect(tallyVotes('a', ['b'], ['a', 'b'])).toMatchObject({ live: ['a', 'b'], needed: 2, reached: true });
  });

  it('ignores votes of instances that are no longer live, and duplicates', () => {
    expect(tallyVotes('a', ['a', 'b', 'c'], ['a', 'gone', 'gone', 'a'])).toMatchObject({ votes: ['a'], reached: false });
  });

  it('does not count a vote this instance has not cast', () => {
    expect(tallyVotes('a', ['a', 'b', 'c'], ['b', 'c'])).toMatchObject({ votes: ['b', 'c'], reached: true });
    expect(tallyVotes('a', ['a', 'b'], ['b']).reached).toBe(false);
  });
});
