import { describe, expect, it } from '@jest/globals';
import { roleProblem } from './roles.guard';

describe('roleProblem', () => {
  it('lets a token with one of the required roles through', () => {
    expect(roleProblem(['admin', 'viewer'], ['viewer'])).toBeUndefined();
    expect(roleProblem(['admin'], ['viewer', 'admin'])).toBeUndefined();
    expect(roleProblem([], [])).toBeUndefined();
  });

  it('says which role is missing and which the token has', () => {
    expect(roleProblem(['admin'], ['viewer'])).toBe('This route requires the admin role; the token has viewer');
    expect(roleProblem(['admin', 'viewer'], [])).toBe('This route requires the admin or viewer role; the token has no role');
  });
});
