import { createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MinLength } from 'class-validator';
import { Bool, Int, RegionalDatabaseSettings, Secret, settingConstraint, settingNames, validateSettings } from '@regional-db/nestjs';
import { isProxyAddress, NAMED_PROXY_RANGES } from '../common/trusted-proxies';

const MAX_TTL_SECONDS = 365 * 86_400;

/**
 * The one schema of the service's environment settings (README "Settings"), checked once by
 * `ConfigModule.forRoot({ validate })` before any module is built: the router library's own settings
 * (`RegionalDatabaseSettings`) and the application's. A setting unset or blank takes the default written here;
 * optional ones without a default stay undefined (their reader derives one).
 *
 * To add a setting: a property here (or in the library's schema) with its decorators and default, a row in the
 * README's settings table (a unit test holds the two together), and its reader (`*.settings.ts`).
 */
export class Environment extends RegionalDatabaseSettings {
  // service
  @Int(0, 65_535) PORT = 3000;
  @Matches(/^[A-Za-z0-9.:\-[\]]+$/, { message: 'must be a host name or IP address' }) HOST = '127.0.0.1';
  @Matches(/^\d{1,6}(b|kb|mb)$/i, { message: 'must look like 100kb or 1mb' }) @Transform(({ value }) => (typeof value === 'string' ? value.toLowerCase() : value))
  BODY_LIMIT = '100kb';
  /** Unset: no proxy trusted, `X-Forwarded-For` ignored. */
  @IsOptional() @TrustedProxies() TRUSTED_PROXIES?: string;
  @IsOptional() @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { message: 'must be one of fatal, error, warn, info, debug, trace, silent' })
  @Transform(({ value }) => (typeof value === 'string' ? value.toLowerCase() : value))
  LOG_LEVEL?: string;
  @IsOptional() @Bool() LOG_PRETTY?: boolean;
  @IsOptional() @IsString() NODE_ENV?: string;

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
export const SETTING_NAMES = settingNames(Environment);

/**
 * The environment checked against the schema: typed values and defaults, or an `InvalidSettingError` naming
 * the first bad variable (and listing the others) in one line. Secrets are never echoed.
 */
export function validateEnvironment(raw: Record<string, unknown>): Environment {
  return validateSettings(Environment, raw);
}

function TrustedProxies(): PropertyDecorator {
  return settingConstraint('trustedProxies', (value) => {
    const bad = String(value)
      .split(',')
      .map((entry) => entry.trim())
      .find((entry) => !isProxyAddress(entry));
    return bad === undefined ? null : `must be IP addresses, CIDR ranges or ${NAMED_PROXY_RANGES.join('/')} separated by commas, got ${JSON.stringify(bad)}`;
  });
}

/** `900`, `15m`, `1h`, `7d`: from 1 s to 365 days. */
function Duration(): PropertyDecorator {
  return settingConstraint('duration', (value) => {
    const seconds = durationSeconds(String(value));
    return seconds >= 1 && seconds <= MAX_TTL_SECONDS ? null : 'must be a duration from 1s to 365d like 900, 15m, 1h or 7d';
  });
}

export function durationSeconds(raw: string): number {
  const match = /^(\d{1,9})\s*([smhd]?)$/.exec(raw.trim());
  return match ? Number(match[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[match[2]]! : NaN;
}

function RsaKey(create: (pem: string) => KeyObject): PropertyDecorator {
  return settingConstraint('rsaKey', (value) => {
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

function OnlyOneOf(others: (keyof Environment)[], message: string): PropertyDecorator {
  return settingConstraint('onlyOneOf', (_value, object) => (others.some((o) => object[o] !== undefined) ? message : null));
}
