import { describe, expect, it } from '@jest/globals';
import { passwordProblem } from './password-policy';

describe('passwordProblem', () => {
  it.each(['correct-horse7', 'Tr0ub4dor&3', 'abcdefghi1', 'Zürich-2030x'])('accepts %s', (password) => {
    expect(passwordProblem(password)).toBeNull();
  });

  it.each([
    ['short1!', 'at least 10 characters'],
    ['abcdefghijkl', 'too weak'],
    ['1212121212a', 'too weak'],
    ['0123456789', 'too weak'],
    [`Aa1${'x'.repeat(70)}`, 'at most 72 bytes'],
    [`${'é'.repeat(36)}1`, 'at most 72 bytes'],
  ])('refuses %j (%s)', (password, problem) => {
    expect(passwordProblem(password)).toContain(problem);
  });
});
