import { describe, expect, it } from '@jest/globals';
import { parseLagMs } from './replica-probe.query';

describe('parseLagMs', () => {
  it('takes whole milliseconds, or no bound when absent', () => {
    expect(parseLagMs(undefined)).toBeNull();
    expect(parseLagMs('0')).toBe(0);
    expect(parseLagMs('600000')).toBe(600_000);
  });

  it.each([['abc', '"abc"'], ['-1', '"-1"'], ['1.5', '"1.5"'], ['', '""'], ['1e3', '"1e3"'], ['1234567890', '"1234567890"'], [['1', '2'], '["1","2"]']])(
    'refuses %j with a 400 naming it',
    (raw, shown) => {
      expect(() => parseLagMs(raw)).toThrow(`lag must be a whole number of milliseconds from 0 to 999999999, got ${shown}`);
    },
  );
});
