import { Inject } from '@nestjs/common';
import { InvalidSettingError } from '../common/invalid-setting.error';
import { envString } from '../config/env';

/**
 * `/metrics` is open by default, as Prometheus targets on an internal network usually are; with
 * `METRICS_TOKEN` set, a scrape must send `Authorization: Bearer <METRICS_TOKEN>` (Prometheus'
 * `authorization: { credentials: ... }`).
 */
export interface MetricsSettings {
  token: string | null;
}

export const METRICS_SETTINGS = Symbol('METRICS_SETTINGS');
export const InjectMetricsSettings = () => Inject(METRICS_SETTINGS);

const MIN_TOKEN_LENGTH = 16;

export function metricsSettings(env: NodeJS.ProcessEnv): MetricsSettings {
  const token = envString(env, 'METRICS_TOKEN') ?? null;
  if (token !== null && token.length < MIN_TOKEN_LENGTH) {
    throw new InvalidSettingError('METRICS_TOKEN', `must be at least ${MIN_TOKEN_LENGTH} characters (or unset for an open /metrics)`);
  }
  return { token };
}
