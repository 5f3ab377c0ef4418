import { describe, expect, it } from '@jest/globals';
import { bodyLimit } from './body-limit';

describe('bodyLimit', () => {
  it('is 100kb unless BODY_LIMIT says otherwise', () => {
    expect(bodyLimit({})).toBe('100kb');
    expect(bodyLimit({ BODY_LIMIT: ' 1MB ' })).toBe('1mb');
  });

  it.each(['lots', '10 kb', '-1kb', '1gb'])('refuses %j', (raw) => {
    expect(() => bodyLimit({ BODY_LIMIT: raw })).toThrow('Invalid setting BODY_LIMIT');
  });
});
