import { Inject } from '@nestjs/common';
import type { RegionalDatabaseSettings } from '../config/regional-database.settings';

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

export function metricsSettings(env: RegionalDatabaseSettings): MetricsSettings {
  return { token: env.METRICS_TOKEN ?? null };
}
