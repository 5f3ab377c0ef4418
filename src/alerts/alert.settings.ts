import { Inject } from '@nestjs/common';
import { envFraction, envInt, envString } from '../config/env';
import { InvalidSettingError } from '../common/invalid-setting.error';
import type { WebhookFormat } from './alert-webhook';

/** Seed 002's health thresholds (all configurable); a lag bound in bytes is optional (null: not used). */
export interface AlertThresholds {
  responseTimeWarningMs: number;
  responseTimeCriticalMs: number;
  replicationLagWarningMs: number;
  replicationLagCriticalMs: number;
  replicationLagWarningBytes: number | null;
  replicationLagCriticalBytes: number | null;
  errorRateWarning: number;
  errorRateCritical: number;
  /** Fewer live queries than this in the window say nothing about an error rate. */
  errorRateMinQueries: number;
}

export interface AlertSettings {
  thresholds: AlertThresholds;
  /** Receives a POST per alert change; may hold a token: never logged, only its origin. */
  webhookUrl: string | null;
  webhookTimeoutMs: number;
  webhookFormat: WebhookFormat;
  historyLimit: number;
}

export const ALERT_SETTINGS = Symbol('ALERT_SETTINGS');
export const InjectAlertSettings = () => Inject(ALERT_SETTINGS);

export function alertSettings(env: NodeJS.ProcessEnv): AlertSettings {
  const bytes = (name: string) => (envString(env, name) === undefined ? null : envInt(env, name, 0, 1));
  const thresholds: AlertThresholds = {
    responseTimeWarningMs: envInt(env, 'ALERT_RESPONSE_TIME_WARNING_MS', 1_000, 1),
    responseTimeCriticalMs: envInt(env, 'ALERT_RESPONSE_TIME_CRITICAL_MS', 5_000, 1),
    replicationLagWarningMs: envInt(env, 'ALERT_REPLICATION_LAG_WARNING_MS', 30_000, 1),
    replicationLagCriticalMs: envInt(env, 'ALERT_REPLICATION_LAG_CRITICAL_MS', 300_000, 1),
    replicationLagWarningBytes: bytes('ALERT_REPLICATION_LAG_WARNING_BYTES'),
    replicationLagCriticalBytes: bytes('ALERT_REPLICATION_LAG_CRITICAL_BYTES'),
    errorRateWarning: envFraction(env, 'ALERT_ERROR_RATE_WARNING', 0.05),
    errorRateCritical: envFraction(env, 'ALERT_ERROR_RATE_CRITICAL', 0.2),
    errorRateMinQueries: envInt(env, 'ALERT_ERROR_RATE_MIN_QUERIES', 20, 1),
  };
  ordered(thresholds.responseTimeWarningMs, thresholds.responseTimeCriticalMs, 'ALERT_RESPONSE_TIME');
  ordered(thresholds.replicationLagWarningMs, thresholds.replicationLagCriticalMs, 'ALERT_REPLICATION_LAG', '_MS');
  ordered(thresholds.replicationLagWarningBytes, thresholds.replicationLagCriticalBytes, 'ALERT_REPLICATION_LAG', '_BYTES');
  ordered(thresholds.errorRateWarning, thresholds.errorRateCritical, 'ALERT_ERROR_RATE', '');

  const webhookUrl = envString(env, 'ALERT_WEBHOOK_URL') ?? null;
  if (webhookUrl !== null && !/^https?:\/\/[^/\s]+/.test(webhookUrl)) {
    // Not echoing the value: a webhook URL usually carries a token.
    throw new InvalidSettingError('ALERT_WEBHOOK_URL', 'must be an http:// or https:// URL');
  }
  return {
    thresholds,
    webhookUrl,
    webhookTimeoutMs: envInt(env, 'ALERT_WEBHOOK_TIMEOUT_MS', 3_000, 100, 60_000),
    webhookFormat: webhookFormat(env),
    historyLimit: envInt(env, 'ALERT_HISTORY_LIMIT', 1_000, 10, 100_000),
  };
}


function ordered(warning: number | null, critical: number | null, prefix: string, suffix = '_MS'): void {
  if (warning !== null && critical !== null && warning > critical) {
    throw new InvalidSettingError(
      `${prefix}_WARNING${suffix}`,
      `must not exceed ${prefix}_CRITICAL${suffix} (${warning} > ${critical})`,
    );
  }
}

function webhookFormat(env: NodeJS.ProcessEnv): WebhookFormat {
  const format = envString(env, 'ALERT_WEBHOOK_FORMAT') ?? 'event';
  if (format !== 'event' && format !== 'alertmanager') throw new InvalidSettingError('ALERT_WEBHOOK_FORMAT', `must be event or alertmanager, got "${format}"`);
  return format;
}
