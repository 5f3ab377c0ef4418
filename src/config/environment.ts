import { createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';
import { Transform } from 'class-transformer';
import { plainToInstance } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  registerDecorator,
  ValidateIf,
  ValidationArguments,
  validateSync,
} from 'class-validator';
import { applyDecorators } from '@nestjs/common';
import { InvalidSettingError } from '../common/invalid-setting.error';
import { isProxyAddress, NAMED_PROXY_RANGES } from '../common/trusted-proxies';
import type { WebhookFormat } from '../alerts/alert-webhook';

const MAX_TTL_SECONDS = 365 * 86_400;

/** Names of the settings never echoed in an error (filled by `@Secret()` as the class below is defined). */
const SECRETS = new Set<string>();
const number = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value);

/**
 * The one schema of the service's environment settings (README "Settings"), checked once by
 * `ConfigModule.forRoot({ validate })` before any module is built. A setting unset or blank takes the default
 * written here; optional ones without a default stay undefined (their reader derives one).
 *
 * To add a setting: a property here with its decorators and default, a row in the README's settings table
 * (a unit test holds the two together), and its reader (`*.settings.ts`) takes it from `Environment`.
 */
export class Environment {
  // service
  @Int(0, 65_535) PORT = 3000;
  @Matches(/^[A-Za-z0-9.:\-[\]]+$/, { message: 'must be a host name or IP address' }) HOST = '127.0.0.1';
  @Secret() @IsOptional() @RedisUrl() REDIS_URL?: string;
  @Sentinels() @RequiredWith('REDIS_SENTINEL_NAME')
  REDIS_SENTINELS?: string;
  @Matches(/^[A-Za-z0-9._-]+$/, { message: 'must be a Sentinel master name (letters, digits, . _ -)' }) @RequiredWith('REDIS_SENTINELS', 'the name of the monitored primary')
  REDIS_SENTINEL_NAME?: string;
  @Secret() @IsOptional() @IsString() REDIS_PASSWORD?: string;
  @Secret() @IsOptional() @IsString() REDIS_SENTINEL_PASSWORD?: string;
  @IsString() REDIS_PREFIX = 'rdr:';
  @Matches(/^\d{1,6}(b|kb|mb)$/i, { message: 'must look like 100kb or 1mb' }) @Transform(({ value }) => (typeof value === 'string' ? value.toLowerCase() : value))
  BODY_LIMIT = '100kb';
  /** Unset: no proxy trusted, `X-Forwarded-For` ignored. */
  @IsOptional() @TrustedProxies() TRUSTED_PROXIES?: string;
  @IsOptional() @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { message: 'must be one of fatal, error, warn, info, debug, trace, silent' })
  @Transform(({ value }) => (typeof value === 'string' ? value.toLowerCase() : value))
  LOG_LEVEL?: string;
  @IsOptional() @Bool() LOG_PRETTY?: boolean;
  @IsOptional() @IsString() NODE_ENV?: string;
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
  /** Unset: beside `TOPOLOGY_FILE`, or `.local/failover-history.jsonl` with the DB_* variables. */
  @IsOptional() @IsString() FAILOVER_HISTORY_FILE?: string;
  /** Unset: host, process and a nonce (each instance its own, so never a default here). */
  @IsOptional() @Matches(/^[A-Za-z0-9_.-]{1,40}$/, { message: 'must be 1-40 letters, digits, ".", "_" or "-"' }) INSTANCE_ID?: string;

  // auth
  @Secret() @IsOptional() @MinLength(32, { message: 'an HS256 secret must be at least 32 characters' }) @OnlyOneOf(['JWT_PUBLIC_KEY', 'JWT_PRIVATE_KEY'], 'set either JWT_SECRET (HS256) or JWT_PUBLIC_KEY/JWT_PRIVATE_KEY (RS256), not both')
  JWT_SECRET?: string;
  @IsOptional() @RsaKey(createPublicKey) JWT_PUBLIC_KEY?: string;
  @Secret() @IsOptional() @RsaKey(createPrivateKey) JWT_PRIVATE_KEY?: string;
  @IsString() JWT_ISSUER = 'regional-db-router';
  @IsString() JWT_AUDIENCE = 'regional-db-router';
  @Duration() JWT_TTL = '1h';
  @IsOptional() @IsString() JWT_SECRET_FILE?: string;
  @Int(1, 100_000) ADMIN_MUTATION_RATE_LIMIT = 10;
  @Secret() @IsOptional() @MinLength(16, { message: 'must be at least 16 characters (or unset for an open /metrics)' }) METRICS_TOKEN?: string;

  // users, geo
  /** scrypt N = 2^cost. */
  @Int(4, 17) PASSWORD_HASH_COST = 15;
  /** Unset: one core fewer than the machine has, at least 1. */
  @IsOptional() @Int(1, 64) PASSWORD_HASH_CONCURRENCY?: number;
  @Int(1, 86_400) USER_REGION_CACHE_TTL_SECONDS = 300;
  @Int(1, 86_400) GEO_CACHE_TTL_SECONDS = 60;

  // throttling
  @Int(1, 86_400) THROTTLE_WINDOW_SECONDS = 60;
  @Int(1, 1_000_000) THROTTLE_LOGIN_PER_ADDRESS = 20;
  @Int(1, 1_000_000) THROTTLE_REGISTER_PER_ADDRESS = 5;
  @Int(1, 1_000_000) THROTTLE_GEO_WRITE_PER_ADDRESS = 60;
  @Int(1, 1000) THROTTLE_LOGIN_FAILURES_PER_HANDLE = 5;
  @Int(1, 86_400) THROTTLE_LOGIN_FAILURE_WINDOW_SECONDS = 900;
  @Int(1, 3600) THROTTLE_LOGIN_HOLD_SECONDS = 1;
  /** Never below the first hold (the reader takes the larger). */
  @Int(1, 3600) THROTTLE_LOGIN_HOLD_MAX_SECONDS = 300;
}

/** Every variable the schema knows, in declaration order. */
export const SETTING_NAMES = Object.keys(new Environment()) as (keyof Environment)[];

/**
 * The environment checked against the schema: typed values and defaults, or an `InvalidSettingError` naming
 * the first bad variable (and listing the others) in one line. Secrets are never echoed.
 */
export function validateEnvironment(raw: Record<string, unknown>): Environment {
  const given: Record<string, string> = {};
  for (const name of SETTING_NAMES) {
    const value = raw[name];
    if (typeof value === 'string' && value.trim() !== '') given[name] = value.trim();
  }
  const environment = plainToInstance(Environment, given, { exposeDefaultValues: true });
  const errors = validateSync(environment, { stopAtFirstError: true, forbidUnknownValues: true });
  if (errors.length === 0) return environment;
  const [first, ...others] = errors;
  const problem = Object.values(first.constraints ?? {})[0] ?? 'is not valid';
  const echo = SECRETS.has(first.property) || given[first.property] === undefined ? '' : `, got ${JSON.stringify(given[first.property])}`;
  const more = others.length ? ` (also invalid: ${others.map((e) => e.property).join(', ')})` : '';
  throw new InvalidSettingError(first.property, `${problem}${echo}${more}`);
}

function Secret(): PropertyDecorator {
  return (_target, property) => void SECRETS.add(String(property));
}

function Int(min: number, max = Number.MAX_SAFE_INTEGER): PropertyDecorator {
  const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
  const message = `must be a whole number ${range}`;
  return applyDecorators(Transform(number), IsInt({ message }), Min(min, { message }), Max(max, { message }));
}

function Fraction(): PropertyDecorator {
  const message = 'must be a fraction in (0, 1] such as 0.05';
  return applyDecorators(Transform(number), IsNumber({}, { message }), Min(Number.MIN_VALUE, { message }), Max(1, { message }));
}

function Bool(): PropertyDecorator {
  const words: Record<string, boolean> = { '1': true, true: true, yes: true, on: true, '0': false, false: false, no: false, off: false };
  return applyDecorators(
    Transform(({ value }) => (typeof value === 'string' && value.toLowerCase() in words ? words[value.toLowerCase()] : value)),
    IsBoolean({ message: 'must be true or false' }),
  );
}

function RedisUrl(): PropertyDecorator {
  return constraint('redisUrl', (value) => {
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

function TrustedProxies(): PropertyDecorator {
  return constraint('trustedProxies', (value) => {
    const bad = String(value)
      .split(',')
      .map((entry) => entry.trim())
      .find((entry) => !isProxyAddress(entry));
    return bad === undefined ? null : `must be IP addresses, CIDR ranges or ${NAMED_PROXY_RANGES.join('/')} separated by commas, got ${JSON.stringify(bad)}`;
  });
}

function Sentinels(): PropertyDecorator {
  return constraint('sentinels', (value) => {
    const bad = String(value)
      .split(',')
      .find((entry) => {
        const match = /^\s*([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\]):(\d{1,5})\s*$/.exec(entry);
        return !match || Number(match[2]) < 1 || Number(match[2]) > 65_535;
      });
    return bad === undefined ? null : `must be a comma-separated list of host:port (${JSON.stringify(bad.trim())} is not)`;
  });
}

/** `900`, `15m`, `1h`, `7d`: from 1 s to 365 days. */
function Duration(): PropertyDecorator {
  return constraint('duration', (value) => {
    const seconds = durationSeconds(String(value));
    return seconds >= 1 && seconds <= MAX_TTL_SECONDS ? null : 'must be a duration from 1s to 365d like 900, 15m, 1h or 7d';
  });
}

export function durationSeconds(raw: string): number {
  const match = /^(\d{1,9})\s*([smhd]?)$/.exec(raw.trim());
  return match ? Number(match[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[match[2]]! : NaN;
}

function RsaKey(create: (pem: string) => KeyObject): PropertyDecorator {
  return constraint('rsaKey', (value) => {
    let key: KeyObject;
    try {
      // Environment variables often carry a PEM with its line breaks written as \n.
      key = create(String(value).replace(/\\n/g, '\n'));
    } catch {
      return 'is not a PEM key';
    }
    return key.asymmetricKeyType === 'rsa' ? null : `must be an RSA key for RS256, got ${key.asymmetricKeyType}`;
  });
}

function NotAbove(critical: keyof Environment): PropertyDecorator {
  return constraint('notAbove', (value, object) => {
    const limit = object[critical];
    return typeof limit === 'number' && typeof value === 'number' && value > limit ? `must not exceed ${critical} (${value} > ${limit})` : null;
  });
}

function AtLeastTwice(heartbeat: keyof Environment): PropertyDecorator {
  return constraint('atLeastTwice', (value, object) => {
    const beat = object[heartbeat];
    return typeof beat === 'number' && typeof value === 'number' && value < beat * 2 ? `must be at least twice ${heartbeat} (${beat * 2})` : null;
  });
}

/** Optional, unless `other` is set. */
function RequiredWith(other: keyof Environment, what?: string): PropertyDecorator {
  return applyDecorators(
    ValidateIf((object: Environment, value: unknown) => value !== undefined || object[other] !== undefined),
    constraint('requiredWith', (value) => (value === undefined ? `is required with ${other}${what ? ` (${what})` : ''}` : null)),
  );
}

function OnlyOneOf(others: (keyof Environment)[], message: string): PropertyDecorator {
  return constraint('onlyOneOf', (_value, object) => (others.some((o) => object[o] !== undefined) ? message : null));
}

/** A class-validator constraint whose check returns the problem (or null), so the message says exactly what is wrong. */
function constraint(name: string, problem: (value: unknown, object: Environment) => string | null): PropertyDecorator {
  return (target, property) => {
    const found = new WeakMap<object, string>();
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(property),
      validator: {
        validate: (value: unknown, args: ValidationArguments) => {
          const message = problem(value, args.object as Environment);
          if (message !== null) found.set(args.object, message);
          return message === null;
        },
        defaultMessage: (args?: ValidationArguments) => (args && found.get(args.object)) ?? 'is not valid',
      },
    });
  };
}
