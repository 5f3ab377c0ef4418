import { describe, expect, it } from '@jest/globals';
import { validateEnvironment } from '../config/environment';
import { bodyLimit as fromEnvironment } from './body-limit';

/** The reader applied to the environment as the settings schema checks it. */
const bodyLimit = (raw: Record<string, string>) => fromEnvironment(validateEnvironment(raw));

describe('bodyLimit', () => {
  it('is 100kb unless BODY_LIMIT says otherwise', () => {
    expect(bodyLimit({})).toBe('100kb');
    expect(bodyLimit({ BODY_LIMIT: ' 1MB ' })).toBe('1mb');
  });

  it.each(['lots', '10 kb', '-1kb', '1gb'])('refuses %j', (raw) => {
    expect(() => bodyLimit({ BODY_LIMIT: raw })).toThrow('Invalid setting BODY_LIMIT');
  });
});
