import { describe, expect, it } from '@jest/globals';
import { metricsAccess } from './metrics-access';
import { regionalDatabaseSettings } from '../config/regional-database.settings';
import { metricsSettings as fromEnvironment } from './metrics.settings';

/** The reader applied to the environment as the settings schema checks it. */
const metricsSettings = (raw: Record<string, string>) => fromEnvironment(regionalDatabaseSettings(raw));

const TOKEN = 'scrape-token-0123456789';

describe('metricsAccess', () => {
  it('is open when no token is configured, whatever is sent', () => {
    expect(metricsAccess(undefined, null)).toBe('open');
    expect(metricsAccess('Bearer anything', null)).toBe('open');
  });

  it('grants the configured bearer token only', () => {
    expect(metricsAccess(`Bearer ${TOKEN}`, TOKEN)).toBe('granted');
    expect(metricsAccess(`bearer ${TOKEN}`, TOKEN)).toBe('granted');
    expect(metricsAccess(`Bearer ${TOKEN}x`, TOKEN)).toBe('wrong');
    expect(metricsAccess('Bearer short', TOKEN)).toBe('wrong');
  });

  it('tells a missing or malformed header apart from a wrong token', () => {
    expect(metricsAccess(undefined, TOKEN)).toBe('missing');
    expect(metricsAccess('', TOKEN)).toBe('missing');
    expect(metricsAccess(`Basic ${TOKEN}`, TOKEN)).toBe('missing');
    expect(metricsAccess('Bearer', TOKEN)).toBe('missing');
  });
});

describe('metricsSettings', () => {
  it('has no token by default and takes METRICS_TOKEN', () => {
    expect(metricsSettings({})).toEqual({ token: null });
    expect(metricsSettings({ METRICS_TOKEN: ' ' })).toEqual({ token: null });
    expect(metricsSettings({ METRICS_TOKEN: TOKEN })).toEqual({ token: TOKEN });
  });

  it('refuses a token too short to be a secret, naming the variable', () => {
    expect(() => metricsSettings({ METRICS_TOKEN: 'abc' })).toThrow(/METRICS_TOKEN.*at least 16/);
  });
});
