import { describe, expect, it } from '@jest/globals';
import { authenticatedUser } from './authenticated-user';

const exp = 2_000_000_000;

describe('authenticatedUser', () => {
  it('keeps subject, known roles and region', () => {
    expect(authenticatedUser({ sub: 'alice', roles: ['viewer', 'root', 'admin'], region: 'us-east', exp })).toEqual({ sub: 'alice', roles: ['viewer', 'admin'], region: 'us-east' });
    expect(authenticatedUser({ sub: 'bob', roles: [], exp })).toEqual({ sub: 'bob', roles: [] });
  });

  it.each([
    [{ roles: ['admin'], exp }, 'Token has no subject (sub)'],
    [{ sub: ' ', roles: ['admin'], exp }, 'Token has no subject (sub)'],
    [{ sub: 'alice', roles: ['admin'] }, 'Token has no expiry (exp)'],
    [{ sub: 'alice', roles: 'admin', exp }, 'Token roles claim must be an array'],
    [{ sub: 'alice', roles: ['admin'], region: 7, exp }, 'Token region claim must be a string'],
    [null, 'Token has no subject (sub)'],
  ])('refuses %j: %s', (payload, message) => {
    expect(() => authenticatedUser(payload)).toThrow(message);
  });
});
