import { describe, expect, it } from '@jest/globals';
import { compareCopies, decideMove, HOME_REGION_MOVE_STEPS, stepAfter } from './home-region-move';

const user = { id: 'u1', username: 'ada', email: 'ada@example.com', passwordHash: 'h' };
const post = (id: string, content = `post ${id}`) => ({ id, content, createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, Number(id.slice(1)))) });

describe('home-region move steps', () => {
  it('run copy, verify, flip, invalidate, cleanup, then done', () => {
    const order = ['copy'];
    while (order[order.length - 1] !== 'done') order.push(stepAfter(order[order.length - 1] as never));
    expect(order).toEqual([...HOME_REGION_MOVE_STEPS]);
    expect(() => stepAfter('done')).toThrow('no step after "done"');
  });
});

describe('decideMove', () => {
  it('starts a move to another region', () => {
    expect(decideMove('ada', 'us-east', 'eu-west', null)).toEqual({ action: 'start' });
  });

  it('resumes an unfinished move to the same region, wherever it stopped', () => {
    // After the flip the directory already names the target: still a resume, not "already lives there".
    expect(decideMove('ada', 'eu-west', 'eu-west', { toRegion: 'eu-west', step: 'invalidate' })).toEqual({ action: 'resume' });
  });

  it('refuses a second destination while a move is unfinished, and a move to where the user lives', () => {
    expect(decideMove('ada', 'us-east', 'asia-pacific', { toRegion: 'eu-west', step: 'verify' })).toEqual({
      action: 'refuse',
      reason: 'A move of "ada" to eu-west is unfinished (next step: verify); resume it with toRegion eu-west',
    });
    expect(decideMove('ada', 'eu-west', 'eu-west', null)).toEqual({ action: 'refuse', reason: '"ada" already lives in eu-west' });
  });
});

describe('compareCopies', () => {
  it('finds nothing to do for an identical copy', () => {
    expect(compareCopies({ user, posts: [post('p1'), post('p2')] }, { user: { ...user }, posts: [post('p2'), post('p1')] })).toEqual({
      missingPosts: [],
      conflicts: [],
    });
  });

  it('lists posts added to the source since the copy', () => {
    expect(compareCopies({ user, posts: [post('p1'), post('p2'), post('p3')] }, { user, posts: [post('p1')] }).missingPosts).toEqual(['p2', 'p3']);
  });

  it('reports what copying cannot fix', () => {
    const diff = compareCopies({ user, posts: [post('p1'), post('p2')] }, { user: { ...user, email: 'other@example.com' }, posts: [post('p1', 'edited'), post('p2')] });
    expect(diff.conflicts).toEqual(['user email differs', 'post p1 differs']);
    expect(compareCopies({ user, posts: [] }, { user: null, posts: [] }).conflicts).toEqual(['the user row is missing in the target']);
  });
});
