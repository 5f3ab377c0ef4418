import { describe, expect, it } from '@jest/globals';
import { validateEnvironment } from '../config/environment';
import { loggingSettings as fromEnvironment } from './logging.settings';

/** The reader applied to the environment as the settings schema checks it. */
const loggingSettings = (raw: Record<string, string>) => fromEnvironment(validateEnvironment(raw));

describe('loggingSettings', () => {
  it('defaults to info in JSON, warn under tests, pretty in development', () => {
    expect(loggingSettings({})).toEqual({ level: 'info', pretty: false });
    expect(loggingSettings({ NODE_ENV: 'test' })).toEqual({ level: 'warn', pretty: false });
    expect(loggingSettings({ NODE_ENV: 'development' })).toEqual({ level: 'info', pretty: true });
  });

  it('reads LOG_LEVEL and LOG_PRETTY', () => {
    expect(loggingSettings({ LOG_LEVEL: 'DEBUG', LOG_PRETTY: 'true', NODE_ENV: 'production' })).toEqual({ level: 'debug', pretty: true });
    expect(loggingSettings({ LOG_PRETTY: 'false', NODE_ENV: 'development' }).pretty).toBe(false);
  });

  it('rejects an unknown level naming the variable', () => {
    expect(() => loggingSettings({ LOG_LEVEL: 'loud' })).toThrow('LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent, got "loud"');
    expect(() => loggingSettings({ LOG_PRETTY: 'sure' })).toThrow('Invalid setting LOG_PRETTY: must be true or false, got "sure"');
  });
});
