import { describe, expect, it } from '@jest/globals';
import { regionalDatabaseSettings } from '../config/regional-database.settings';
import { healthSettings as fromEnvironment } from './health.settings';

/** The reader applied to the environment as the settings schema checks it. */
const healthSettings = (raw: Record<string, string>) => fromEnvironment(regionalDatabaseSettings(raw));

describe('healthSettings', () => {
  it('defaults: down after 2 failed probes, up after 2 good ones, 1 s probe bound, 200 ms re-probes, lag read every second', () => {
    expect(healthSettings({})).toEqual({ probeTimeoutMs: 1_000, connectTimeoutMs: 1_000, connectConcurrency: 16, failuresToDown: 2, successesToUp: 2, fastRetryMs: 200, lagRefreshMs: 1_000 });
  });

  it('reads the environment and names a bad variable', () => {
    expect(healthSettings({ HEALTH_PROBE_TIMEOUT_MS: '500', HEALTH_FAILURES_TO_DOWN: '3' })).toMatchObject({ probeTimeoutMs: 500, connectTimeoutMs: 500, failuresToDown: 3 });
    expect(healthSettings({ HEALTH_CONNECT_TIMEOUT_MS: '3000', HEALTH_CONNECT_CONCURRENCY: '64' })).toMatchObject({ probeTimeoutMs: 1_000, connectTimeoutMs: 3_000, connectConcurrency: 64 });
    expect(() => healthSettings({ HEALTH_SUCCESSES_TO_UP: '0' })).toThrow('HEALTH_SUCCESSES_TO_UP: must be a whole number from 1 to 100, got "0"');
    expect(() => healthSettings({ HEALTH_PROBE_TIMEOUT_MS: 'fast' })).toThrow('HEALTH_PROBE_TIMEOUT_MS');
  });
});
