import { describe, expect, it } from '@jest/globals';
import { regionalDatabaseSettings } from '../config/regional-database.settings';
import { alertSettings as fromEnvironment } from './alert.settings';

/** The reader applied to the environment as the settings schema checks it. */
const alertSettings = (raw: Record<string, string>) => fromEnvironment(regionalDatabaseSettings(raw));

describe('alertSettings', () => {
  it("defaults to seed 002's thresholds", () => {
    expect(alertSettings({}).thresholds).toEqual({
      responseTimeWarningMs: 1_000,
      responseTimeCriticalMs: 5_000,
      replicationLagWarningMs: 30_000,
      replicationLagCriticalMs: 300_000,
      replicationLagWarningBytes: null,
      replicationLagCriticalBytes: null,
      errorRateWarning: 0.05,
      errorRateCritical: 0.2,
      errorRateMinQueries: 20,
    });
    expect(alertSettings({}).webhookUrl).toBeNull();
    expect(alertSettings({}).webhookFormat).toBe('event');
  });

  it("takes Alertmanager's webhook format, and refuses an unknown one naming the variable", () => {
    expect(alertSettings({ ALERT_WEBHOOK_FORMAT: 'alertmanager' }).webhookFormat).toBe('alertmanager');
    expect(() => alertSettings({ ALERT_WEBHOOK_FORMAT: 'slack' })).toThrow(/ALERT_WEBHOOK_FORMAT: must be event or alertmanager/);
  });

  it('reads every threshold from the environment', () => {
    const s = alertSettings({
      ALERT_RESPONSE_TIME_WARNING_MS: '200',
      ALERT_RESPONSE_TIME_CRITICAL_MS: '900',
      ALERT_REPLICATION_LAG_WARNING_MS: '1500',
      ALERT_REPLICATION_LAG_CRITICAL_MS: '60000',
      ALERT_REPLICATION_LAG_WARNING_BYTES: '1048576',
      ALERT_ERROR_RATE_WARNING: '0.01',
      ALERT_ERROR_RATE_CRITICAL: '0.5',
      ALERT_WEBHOOK_URL: 'https://hooks.example.com/T0/secret-token',
    });
    expect(s.thresholds).toMatchObject({
      responseTimeWarningMs: 200,
      responseTimeCriticalMs: 900,
      replicationLagWarningMs: 1_500,
      replicationLagCriticalMs: 60_000,
      replicationLagWarningBytes: 1_048_576,
      replicationLagCriticalBytes: null,
      errorRateWarning: 0.01,
      errorRateCritical: 0.5,
    });
    expect(s.webhookUrl).toBe('https://hooks.example.com/T0/secret-token');
  });

  it.each([
    [{ ALERT_RESPONSE_TIME_WARNING_MS: 'slow' }, 'ALERT_RESPONSE_TIME_WARNING_MS: must be a whole number'],
    [{ ALERT_ERROR_RATE_WARNING: '5%' }, 'ALERT_ERROR_RATE_WARNING: must be a fraction in (0, 1]'],
    [{ ALERT_ERROR_RATE_CRITICAL: '20' }, 'ALERT_ERROR_RATE_CRITICAL: must be a fraction'],
    [{ ALERT_REPLICATION_LAG_WARNING_MS: '400000' }, 'ALERT_REPLICATION_LAG_WARNING_MS: must not exceed ALERT_REPLICATION_LAG_CRITICAL_MS'],
    [{ ALERT_ERROR_RATE_WARNING: '0.3' }, 'ALERT_ERROR_RATE_WARNING: must not exceed ALERT_ERROR_RATE_CRITICAL'],
    [{ ALERT_WEBHOOK_URL: 'ftp://x/secret' }, 'ALERT_WEBHOOK_URL: must be an http:// or https:// URL'],
  ])('rejects %j naming the variable', (env, message) => {
    expect(() => alertSettings(env)).toThrow(message);
  });

  it('does not echo a rejected webhook URL', () => {
    expect(() => alertSettings({ ALERT_WEBHOOK_URL: 'hooks/secret-token' })).toThrow(expect.objectContaining({ message: expect.not.stringContaining('secret-token') }));
  });
});
