import type { RedisOptions } from 'ioredis';
import type { RegionalDatabaseSettings } from '../config/regional-database.settings';

export interface SentinelAddress {
  host: string;
  port: number;
}

/** Where the coordination store is: one server (`REDIS_URL`), Sentinel (`REDIS_SENTINELS`), or none. */
export type RedisTarget =
  | { kind: 'none' }
  | { kind: 'url'; url: string }
  | { kind: 'sentinel'; sentinels: SentinelAddress[]; name: string; password?: string; sentinelPassword?: string; db: number };

/** `host:port,host:port` (already checked by the settings schema) -> addresses. */
export function parseSentinels(raw: string): SentinelAddress[] {
  return raw.split(',').map((entry) => {
    const [, host, port] = /^\s*(.+):(\d+)\s*$/.exec(entry)!;
    return { host: host.replace(/^\[|\]$/g, ''), port: Number(port) };
  });
}

export interface RedisSettings {
  target: RedisTarget;
  /** `REDIS_PREFIX`: several deployments (or test runs) can share one server. */
  prefix: string;
}

export function redisSettings(env: RegionalDatabaseSettings): RedisSettings {
  return { target: redisTarget(env), prefix: env.REDIS_PREFIX };
}

/**
 * Where Redis is. With Sentinel, `REDIS_URL` may still be given for its password and database number (its host
 * is ignored: Sentinel says which server is primary).
 */
export function redisTarget(env: RegionalDatabaseSettings): RedisTarget {
  const url = env.REDIS_URL;
  if (env.REDIS_SENTINELS === undefined || env.REDIS_SENTINEL_NAME === undefined) return url === undefined ? { kind: 'none' } : { kind: 'url', url };
  const parsed = url === undefined ? undefined : new URL(url);
  return {
    kind: 'sentinel',
    sentinels: parseSentinels(env.REDIS_SENTINELS),
    name: env.REDIS_SENTINEL_NAME,
    password: env.REDIS_PASSWORD ?? (parsed?.password ? decodeURIComponent(parsed.password) : undefined),
    sentinelPassword: env.REDIS_SENTINEL_PASSWORD,
    db: parsed && parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
  };
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
