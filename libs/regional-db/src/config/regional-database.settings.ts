import { IsIn, IsOptional, IsString, Matches, MinLength } from 'class-validator';
import type { WebhookFormat } from '../alerts/alert-webhook';
import { Bool, Fraction, Int, RequiredWith, Secret, settingConstraint, settingNames, validateSettings } from './settings-schema';

/**
 * The library's settings, named as the environment variables that usually carry them (README "Settings"), each
 * with its default. `RegionalDatabaseModule.forRoot({ settings })` checks what it is given once, before any
 * connection: pass the environment, `ConfigService` values, or literals; unset names take the defaults below.
 */
export class RegionalDatabaseSettings {
  // Redis: shared state, coordination and alerts across instances (unset: one instance, state in memory)
  @Secret() @IsOptional() @RedisUrl() REDIS_URL?: string;
  @Sentinels() @RequiredWith('REDIS_SENTINEL_NAME')
  REDIS_SENTINELS?: string;
  @Matches(/^[A-Za-z0-9._-]+$/, { message: 'must be a Sentinel master name (letters, digits, . _ -)' }) @RequiredWith('REDIS_SENTINELS', 'the name of the monitored primary')
  REDIS_SENTINEL_NAME?: string;
  @Secret() @IsOptional() @IsString() REDIS_PASSWORD?: string;
  @Secret() @IsOptional() @IsString() REDIS_SENTINEL_PASSWORD?: string;
  @IsString() REDIS_PREFIX = 'rdr:';
  /** Where the topology was read from: the failover history is kept beside it. */
  @IsOptional() @IsString() TOPOLOGY_FILE?: string;

  // routing
  @Int(1) ROUTER_DEFAULT_MAX_LAG_MS = 5_000;
  @Int(1) ROUTER_CONSISTENCY_COOKIE_MAX_AGE_S = 300;
  @Int(1) ANALYZE_QUERY_MAX_BYTES = 100_000;

  // health
  @Int(50, 60_000) HEALTH_PROBE_TIMEOUT_MS = 1_000;
  /** Unset: the probe timeout. */
  @IsOptional() @Int(50, 60_000) HEALTH_CONNECT_TIMEOUT_MS?: number;
  @Int(1, 10_000) HEALTH_CONNECT_CONCURRENCY = 16;
  @Int(1, 100) HEALTH_FAILURES_TO_DOWN = 2;
  @Int(1, 100) HEALTH_SUCCESSES_TO_UP = 2;
  @Int(10, 60_000) HEALTH_FAST_RETRY_MS = 200;
  @Int(100, 60_000) HEALTH_LAG_REFRESH_MS = 1_000;

  // alerts: a warning threshold never above its critical one
  @Int(1) @NotAbove('ALERT_RESPONSE_TIME_CRITICAL_MS') ALERT_RESPONSE_TIME_WARNING_MS = 1_000;
  @Int(1) ALERT_RESPONSE_TIME_CRITICAL_MS = 5_000;
  @Int(1) @NotAbove('ALERT_REPLICATION_LAG_CRITICAL_MS') ALERT_REPLICATION_LAG_WARNING_MS = 30_000;
  @Int(1) ALERT_REPLICATION_LAG_CRITICAL_MS = 300_000;
  @IsOptional() @Int(1) @NotAbove('ALERT_REPLICATION_LAG_CRITICAL_BYTES') ALERT_REPLICATION_LAG_WARNING_BYTES?: number;
  @IsOptional() @Int(1) ALERT_REPLICATION_LAG_CRITICAL_BYTES?: number;
  @Fraction() @NotAbove('ALERT_ERROR_RATE_CRITICAL') ALERT_ERROR_RATE_WARNING = 0.05;
  @Fraction() ALERT_ERROR_RATE_CRITICAL = 0.2;
  @Int(1) ALERT_ERROR_RATE_MIN_QUERIES = 20;
  // May carry a token: never echoed.
  @Secret() @IsOptional() @Matches(/^https?:\/\/[^/\s]+/, { message: 'must be an http:// or https:// URL' }) ALERT_WEBHOOK_URL?: string;
  @Int(100, 60_000) ALERT_WEBHOOK_TIMEOUT_MS = 3_000;
  @IsIn(['event', 'alertmanager'], { message: 'must be event or alertmanager' }) ALERT_WEBHOOK_FORMAT: WebhookFormat = 'event';
  @Int(10, 100_000) ALERT_HISTORY_LIMIT = 1_000;

  // failover
  @Bool() FAILOVER_AUTOMATIC = true;
  @Int(100, 600_000) FAILOVER_PRIMARY_CHECK_MS = 1_000;
  @Int(50, 60_000) FAILOVER_RECHECK_TIMEOUT_MS = 500;
  @Int(100, 3_600_000) FAILOVER_RETRY_MS = 10_000;
  @Int(100, 600_000) FAILOVER_STEP_TIMEOUT_MS = 2_000;
  @Int(10, 200) FAILOVER_FENCE_PROBE_MS = 25;
  @Int(100, 60_000) FAILOVER_HEARTBEAT_MS = 1_000;
  /** Unset: three heartbeats. */
  @IsOptional() @Int(200, 600_000) @AtLeastTwice('FAILOVER_HEARTBEAT_MS') FAILOVER_INSTANCE_LIVE_MS?: number;
  @Int(500, 600_000) FAILOVER_QUORUM_WINDOW_MS = 5_000;
  /** Unset: beside `TOPOLOGY_FILE`, or `.local/failover-history.jsonl` without one. */
  @IsOptional() @IsString() FAILOVER_HISTORY_FILE?: string;
  /** Unset: host, process and a nonce (each instance its own, so never a default here). */
  @IsOptional() @Matches(/^[A-Za-z0-9_.-]{1,40}$/, { message: 'must be 1-40 letters, digits, ".", "_" or "-"' }) INSTANCE_ID?: string;

  // metrics
  @Secret() @IsOptional() @MinLength(16, { message: 'must be at least 16 characters (or unset for an open /metrics)' }) METRICS_TOKEN?: string;
}

/** The library's settings, checked: defaults for what `raw` leaves unset, or an `InvalidSettingError` naming the key. */
export function regionalDatabaseSettings(raw: Partial<Record<keyof RegionalDatabaseSettings, unknown>> = {}): RegionalDatabaseSettings {
  return validateSettings(RegionalDatabaseSettings, raw);
}

export const REGIONAL_DATABASE_SETTING_NAMES = settingNames(RegionalDatabaseSettings);

function RedisUrl(): PropertyDecorator {
  return settingConstraint('redisUrl', (value) => {
    let url: URL;
    try {
      url = new URL(String(value));
    } catch {
      return 'is not a valid URL (expected redis://[:password@]host:port[/db])';
    }
    if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') return `must use redis:// or rediss://, got ${url.protocol}//`;
    if (url.pathname.length > 1 && !/^\/\d+$/.test(url.pathname)) return 'must end with a database number (/0) or nothing';
    return null;
  });
}

function Sentinels(): PropertyDecorator {
  return settingConstraint('sentinels', (value) => {
    const bad = String(value)
      .split(',')
      .find((entry) => {
        const match = /^\s*([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\]):(\d{1,5})\s*$/.exec(entry);
        return !match || Number(match[2]) < 1 || Number(match[2]) > 65_535;
      });
    return bad === undefined ? null : `must be a comma-separated list of host:port (${JSON.stringify(bad.trim())} is not)`;
  });
}

function NotAbove(critical: keyof RegionalDatabaseSettings): PropertyDecorator {
  return settingConstraint('notAbove', (value, object) => {
    const limit = object[critical];
    return typeof limit === 'number' && typeof value === 'number' && value > limit ? `must not exceed ${critical} (${value} > ${limit})` : null;
  });
}

function AtLeastTwice(heartbeat: keyof RegionalDatabaseSettings): PropertyDecorator {
  return settingConstraint('atLeastTwice', (value, object) => {
    const beat = object[heartbeat];
    return typeof beat === 'number' && typeof value === 'number' && value < beat * 2 ? `must be at least twice ${heartbeat} (${beat * 2})` : null;
  });
}

/** The checked settings, provided by `RegionalDatabaseModule`. */
export const REGIONAL_DATABASE_SETTINGS = Symbol('REGIONAL_DATABASE_SETTINGS');
