import { describe, expect, it } from '@jest/globals';
import { hostileInputProblem } from './hostile-input';

const nested = (levels: number): unknown => {
  let value: unknown = 'x';
  for (let i = 0; i < levels; i++) value = i % 2 ? [value] : { a: value };
  return value;
};

describe('hostileInputProblem', () => {
  it('accepts ordinary bodies, emoji (paired surrogates) included', () => {
    expect(hostileInputProblem({ handle: 'ada_l', tags: ['a', 1, null, true], text: 'héllo 👋' }, 'body')).toBeNull();
    expect(hostileInputProblem(undefined, 'body')).toBeNull();
  });

  it('refuses nesting deeper than the limit, however deep, without recursion', () => {
    expect(hostileInputProblem(nested(32), 'body')).toBeNull();
    expect(hostileInputProblem(nested(33), 'body')).toBe('body is nested more than 32 levels deep');
    expect(hostileInputProblem(JSON.parse('['.repeat(200_000) + ']'.repeat(200_000)), 'body')).toMatch(/nested more than/);
  });

  it('refuses a NUL or an unpaired surrogate in any string or key, naming where', () => {
    expect(hostileInputProblem({ content: 'a\u0000b' }, 'body')).toBe('body.content contains a NUL character or an unpaired surrogate');
    expect(hostileInputProblem({ list: ['ok', '\ud800'] }, 'body')).toBe('body.list[1] contains a NUL character or an unpaired surrogate');
    expect(hostileInputProblem({ v: 'x\udc00' }, 'body')).toMatch(/unpaired surrogate/);
    expect(hostileInputProblem({ 'k\u0000': 1 }, 'body')).toBe('body has a key with a NUL character or an unpaired surrogate');
    expect(hostileInputProblem('\u0000', 'query')).toBe('query contains a NUL character or an unpaired surrogate');
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses the key %s at any level', (key) => {
    expect(hostileInputProblem(JSON.parse(`{"a":{"${key}":{"x":1}}}`), 'body')).toBe(`body must not contain the key "${key}"`);
  });
});
