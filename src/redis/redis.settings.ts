import type { RedisOptions } from 'ioredis';
import { InvalidSettingError } from '../common/invalid-setting.error';
import { envString } from '../config/env';

export interface SentinelAddress {
  host: string;
  port: number;
}

/** Where the coordination store is: one server (`REDIS_URL`), Sentinel (`REDIS_SENTINELS`), or none. */
export type RedisTarget =
  | { kind: 'none' }
  | { kind: 'url'; url: string }
  | { kind: 'sentinel'; sentinels: SentinelAddress[]; name: string; password?: string; sentinelPassword?: string; db: number };

/** `host:port,host:port` -> addresses; a bad entry is a start-up error naming the variable. */
export function parseSentinels(raw: string, variable = 'REDIS_SENTINELS'): SentinelAddress[] {
  return raw.split(',').map((entry) => {
    const match = /^\s*([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\]):(\d{1,5})\s*$/.exec(entry);
    const port = Number(match?.[2]);
    if (!match || port < 1 || port > 65535) {
      throw new InvalidSettingError(variable, `must be a comma-separated list of host:port, got ${JSON.stringify(entry.trim())}`);
    }
    return { host: match[1].replace(/^\[|\]$/g, ''), port };
  });
}

/**
 * Reads the Redis settings. With Sentinel, `REDIS_URL` may still be given for its password and database
 * number (its host is ignored: Sentinel says which server is primary). Never echoes a password.
 */
export function redisTarget(env: NodeJS.ProcessEnv): RedisTarget {
  const url = envString(env, 'REDIS_URL');
  const sentinels = envString(env, 'REDIS_SENTINELS');
  const name = envString(env, 'REDIS_SENTINEL_NAME');
  if (url !== undefined) validateUrl(url);
  if (sentinels === undefined) {
    if (name !== undefined) throw new InvalidSettingError('REDIS_SENTINELS', 'is required with REDIS_SENTINEL_NAME');
    return url === undefined ? { kind: 'none' } : { kind: 'url', url };
  }
  if (name === undefined) throw new InvalidSettingError('REDIS_SENTINEL_NAME', 'is required with REDIS_SENTINELS (the name of the monitored primary)');
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new InvalidSettingError('REDIS_SENTINEL_NAME', `must be a Sentinel master name (letters, digits, . _ -), got ${JSON.stringify(name)}`);
  const parsed = url === undefined ? undefined : new URL(url);
  return {
    kind: 'sentinel',
    sentinels: parseSentinels(sentinels),
    name,
    password: envString(env, 'REDIS_PASSWORD') ?? (parsed?.password ? decodeURIComponent(parsed.password) : undefined),
    sentinelPassword: envString(env, 'REDIS_SENTINEL_PASSWORD'),
    db: parsed && parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
  };
}

function validateUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidSettingError('REDIS_URL', 'is not a valid URL (expected redis://[:password@]host:port[/db])');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new InvalidSettingError('REDIS_URL', `must use redis:// or rediss://, got ${parsed.protocol}//`);
  if (parsed.pathname.length > 1 && !/^\/\d+$/.test(parsed.pathname)) throw new InvalidSettingError('REDIS_URL', 'must end with a database number (/0) or nothing');
}

/**
 * Options that make a command fail within about a second while Redis is down or frozen instead of queueing
 * or retrying: every caller has a fallback, and a request must not hang on the coordination store.
 */
export const FAIL_FAST: RedisOptions = {
  maxRetriesPerRequest: 0,
  enableOfflineQueue: false,
  connectTimeout: 2_000,
  commandTimeout: 1_000,
  // A connection being closed is not waited on for long (ioredis's default is 2 s).
  disconnectTimeout: 500,
  lazyConnect: true,
  // Reconnect quickly, capped: a returning Redis (or a promoted replica) is noticed within a second.
  retryStrategy: (attempt) => Math.min(100 * attempt, 1_000),
};

/** ioredis options for a Sentinel target: asks the sentinels for the current primary and follows its changes. */
export function sentinelOptions(target: Extract<RedisTarget, { kind: 'sentinel' }>): RedisOptions {
  return {
    ...FAIL_FAST,
    sentinels: target.sentinels,
    name: target.name,
    password: target.password,
    sentinelPassword: target.sentinelPassword,
    db: target.db,
    // A sentinel that is down is skipped quickly; +switch-master is followed at once.
    sentinelRetryStrategy: (attempt) => Math.min(100 * attempt, 1_000),
    // A sentinel that accepts the connection but does not answer must not hold up finding the primary.
    sentinelCommandTimeout: 1_000,
    failoverDetector: true,
  };
}
