import { Inject } from '@nestjs/common';
import type { RegionalDatabaseSettings } from '../config/regional-database.settings';
import type { WebhookFormat } from './alert-webhook';

/** Seed 002's health thresholds (the `ALERT_*` settings); a lag bound in bytes is optional (null: not used). */
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

export function alertSettings(env: RegionalDatabaseSettings): AlertSettings {
  return {
    thresholds: {
      responseTimeWarningMs: env.ALERT_RESPONSE_TIME_WARNING_MS,
      responseTimeCriticalMs: env.ALERT_RESPONSE_TIME_CRITICAL_MS,
      replicationLagWarningMs: env.ALERT_REPLICATION_LAG_WARNING_MS,
      replicationLagCriticalMs: env.ALERT_REPLICATION_LAG_CRITICAL_MS,
      replicationLagWarningBytes: env.ALERT_REPLICATION_LAG_WARNING_BYTES ?? null,
      replicationLagCriticalBytes: env.ALERT_REPLICATION_LAG_CRITICAL_BYTES ?? null,
      errorRateWarning: env.ALERT_ERROR_RATE_WARNING,
      errorRateCritical: env.ALERT_ERROR_RATE_CRITICAL,
      errorRateMinQueries: env.ALERT_ERROR_RATE_MIN_QUERIES,
    },
    webhookUrl: env.ALERT_WEBHOOK_URL ?? null,
    webhookTimeoutMs: env.ALERT_WEBHOOK_TIMEOUT_MS,
    webhookFormat: env.ALERT_WEBHOOK_FORMAT,
    historyLimit: env.ALERT_HISTORY_LIMIT,
  };
}
