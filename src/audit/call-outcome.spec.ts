import { describe, expect, it } from '@jest/globals';
import { callOutcome } from './call-outcome';

const user = { sub: 'alice', roles: ['admin' as const] };

describe('callOutcome', () => {
  it('records the subject, the route parameters as target, the status and a small input', () => {
    expect(callOutcome({ action: 'failover', user, params: { region: 'us-east' }, body: { targetEndpoint: 'us-east-replica-1' } }, 200)).toEqual({
      actor: 'alice',
      action: 'failover',
      target: 'us-east',
      result: 'success',
      details: { status: 200, input: { targetEndpoint: 'us-east-replica-1' } },
    });
  });

  it('records a refusal with its status and message, and no empty target or input', () => {
    expect(callOutcome({ action: 'health-check', user, params: {}, body: {} }, 403, 'This route requires the admin role; the token has viewer')).toEqual({
      actor: 'alice',
      action: 'health-check',
      result: 'failure',
      details: { status: 403, error: 'This route requires the admin role; the token has viewer' },
    });
  });

  it('does not keep a large input, and calls an unknown caller anonymous', () => {
    const outcome = callOutcome({ action: 'refresh', params: {}, body: { blob: 'x'.repeat(2_000) } }, 201);
    expect(outcome.actor).toBe('anonymous');
    expect(outcome.details).toEqual({ status: 201, input: '2011 characters, not recorded' });
  });
});
