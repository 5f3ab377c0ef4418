import { describe, expect, it } from '@jest/globals';
import { validateEnvironment } from '../config/environment';
import { loginHoldMs, throttleSettings as fromEnvironment } from './throttle.settings';

/** The reader applied to the environment as the settings schema checks it. */
const throttleSettings = (raw: Record<string, string>) => fromEnvironment(validateEnvironment(raw));

describe('throttleSettings', () => {
  it('has defaults that stop brute force and let people in', () => {
    expect(throttleSettings({})).toEqual({
      perAddress: { login: 20, register: 5, 'geo-write': 60 },
      windowMs: 60_000,
      login: { failuresBeforeHold: 5, failureWindowMs: 900_000, holdMs: 1000, maxHoldMs: 300_000 },
    });
  });

  it('reads every variable', () => {
    const settings = throttleSettings({
      THROTTLE_LOGIN_PER_ADDRESS: '3',
      THROTTLE_REGISTER_PER_ADDRESS: '4',
      THROTTLE_GEO_WRITE_PER_ADDRESS: '5',
      THROTTLE_WINDOW_SECONDS: '10',
      THROTTLE_LOGIN_FAILURES_PER_HANDLE: '2',
      THROTTLE_LOGIN_FAILURE_WINDOW_SECONDS: '30',
      THROTTLE_LOGIN_HOLD_SECONDS: '2',
      THROTTLE_LOGIN_HOLD_MAX_SECONDS: '8',
    });
    expect(settings).toEqual({
      perAddress: { login: 3, register: 4, 'geo-write': 5 },
      windowMs: 10_000,
      login: { failuresBeforeHold: 2, failureWindowMs: 30_000, holdMs: 2000, maxHoldMs: 8000 },
    });
  });

  it.each([['THROTTLE_LOGIN_PER_ADDRESS', '0'], ['THROTTLE_WINDOW_SECONDS', 'soon'], ['THROTTLE_LOGIN_HOLD_MAX_SECONDS', '99999']])('refuses %s=%s naming it', (name, value) => {
    expect(() => throttleSettings({ [name]: value })).toThrow(new RegExp(`^Invalid setting ${name}:`));
  });
});

describe('loginHoldMs', () => {
  const settings = { failuresBeforeHold: 3, failureWindowMs: 60_000, holdMs: 1000, maxHoldMs: 10_000 };

  it('holds from the limit on, doubling per failure, never beyond the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 100].map((n) => loginHoldMs(n, settings))).toEqual([0, 0, 1000, 2000, 4000, 8000, 10_000, 10_000]);
  });
});
