import { describe, expect, it } from '@jest/globals';
import { ALL_GROUPS, FailoverPause, pauseOf, resumePlan } from './maintenance';

const pause = (scope: string): FailoverPause => ({ scope, by: 'alice', at: '2026-01-01T00:00:00.000Z', reason: null });

describe('pauseOf', () => {
  it("finds the group's own pause first, then a pause of every group, else none", () => {
    expect(pauseOf([pause('us-east')], 'us-east')?.scope).toBe('us-east');
    expect(pauseOf([pause('us-east')], 'eu-west')).toBeNull();
    expect(pauseOf([pause(ALL_GROUPS), pause('us-east')], 'us-east')?.scope).toBe('us-east');
    expect(pauseOf([pause(ALL_GROUPS)], 'eu-west')?.scope).toBe(ALL_GROUPS);
    expect(pauseOf([], 'us-east')).toBeNull();
  });
});

describe('resumePlan', () => {
  it('resuming every group removes every pause', () => {
    expect(resumePlan([pause(ALL_GROUPS), pause('us-east')], ALL_GROUPS)).toEqual({ remove: [ALL_GROUPS, 'us-east'], blockedBy: null });
  });

  it("resuming one group removes its own pause only", () => {
    expect(resumePlan([pause('us-east'), pause('eu-west')], 'us-east')).toEqual({ remove: ['us-east'], blockedBy: null });
    expect(resumePlan([], 'us-east')).toEqual({ remove: [], blockedBy: null });
  });

  it('a group held by a pause of every group cannot be resumed alone', () => {
    const plan = resumePlan([pause(ALL_GROUPS), pause('us-east')], 'us-east');
    expect(plan.remove).toEqual([]);
    expect(plan.blockedBy?.scope).toBe(ALL_GROUPS);
  });
});
