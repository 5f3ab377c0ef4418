import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Redis } from 'ioredis';
import { FAIL_FAST, InjectTopology, redactSecrets, RedisService, type Topology } from '@regional-db/nestjs';

/** A region's cache server and the prefix of this deployment's keys on it. */
interface RegionCache {
  client: Redis;
  prefix: string;
  /** Opened here (the region's `cacheUrl`), rather than the shared connection. */
  own: boolean;
}

export interface CacheLookup {
  value: string | null;
  /** The position of the last write to the key that invalidated it (a fence), if still remembered. */
  fence: string | null;
}

export interface Invalidation {
  invalidated: string[];
  /** Regions whose cache could not be reached: they may serve the old value until its TTL ends. */
  failed: string[];
}

/**
 * Fills the cache only if no invalidation happened since the lookup (the fence is still what the reader saw),
 * so a read that began before a write cannot put the old value back after the write invalidated it.
 */
const FILL_UNLESS_FENCED = `
local fence = redis.call('GET', KEYS[2]) or ''
if fence ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', tonumber(ARGV[3]))
return 1`;

/**
 * One cache per region (seed 001): the region's own Redis from the topology's `cacheUrl`, else the shared Redis
 * (REDIS_URL) under a per-region prefix, else none (every read goes to the database). A write invalidates a
 * key in every region and leaves a fence (the write's WAL position) that readers use to skip staler replicas.
 */
@Injectable()
export class RegionalCacheService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RegionalCacheService.name);
  private readonly caches = new Map<string, RegionCache>();

  constructor(@InjectTopology() topology: Topology, redis: RedisService) {
    for (const region of topology.regions) {
      if (region.cacheUrl) {
        this.caches.set(region.name, { client: this.connect(region.name, region.cacheUrl), prefix: redis.prefix, own: true });
      } else if (redis.client) {
        this.caches.set(region.name, { client: redis.client, prefix: redis.key('region-cache', region.name, ''), own: false });
      }
    }
  }

  async onModuleInit(): Promise<void> {
    // Connected before the first request, so that the first write can invalidate everywhere.
    await Promise.all(
      [...this.caches].filter(([, c]) => c.own).map(([region, c]) => c.client.connect().catch((error) => this.warn(region, 'connect', error))),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.caches.values()].filter((c) => c.own).map((c) => c.client.quit().catch(() => c.client.disconnect())));
  }

  /** Whether the region has a cache at all. */
  has(region: string): boolean {
    return this.caches.has(region);
  }

  /** The cached value and the key's fence, in one round trip; an unreachable cache is a miss. */
  async lookup(region: string, key: string): Promise<CacheLookup> {
    const cache = this.caches.get(region);
    if (!cache) return { value: null, fence: null };
    try {
      const [value, fence] = await cache.client.mget(cache.prefix + key, fenceKey(cache, key));
      return { value, fence };
    } catch (error) {
      this.warn(region, 'lookup', error);
      return { value: null, fence: null };
    }
  }

  /** Caches `value` unless the key was invalidated since `lookup` returned `seenFence`. */
  async fill(region: string, key: string, value: string, seenFence: string | null, ttlSeconds: number): Promise<boolean> {
    const cache = this.caches.get(region);
    if (!cache) return false;
    try {
      const stored = await cache.client.eval(FILL_UNLESS_FENCED, 2, cache.prefix + key, fenceKey(cache, key), seenFence ?? '', value, ttlSeconds);
      return stored === 1;
    } catch (error) {
      this.warn(region, 'fill', error);
      return false;
    }
  }

  /** Deletes the key in every region's cache and fences it with `fence` for `fenceTtlSeconds`. */
  async invalidateEverywhere(key: string, fence: string, fenceTtlSeconds: number): Promise<Invalidation> {
    const outcome: Invalidation = { invalidated: [], failed: [] };
    await Promise.all(
      [...this.caches].map(async ([region, cache]) => {
        try {
          await cache.client.multi().set(fenceKey(cache, key), fence, 'EX', fenceTtlSeconds).del(cache.prefix + key).exec();
          outcome.invalidated.push(region);
        } catch (error) {
          this.warn(region, 'invalidate', error);
          outcome.failed.push(region);
        }
      }),
    );
    return outcome;
  }

  /** The raw cached value (tests and diagnostics: no fence, no fallback). */
  async peek(region: string, key: string): Promise<string | null> {
    const cache = this.caches.get(region);
    return cache ? cache.client.get(cache.prefix + key) : null;
  }

  private connect(region: string, url: string): Redis {
    // Like the shared connection: fail fast while the cache is down, the database answers instead.
    const client = new Redis(url, FAIL_FAST);
    client.on('error', (error) => this.warn(region, 'connection', error));
    return client;
  }

  private warn(region: string, what: string, error: unknown): void {
    this.logger.warn(`${region} cache ${what} failed: ${redactSecrets(String((error as Error)?.message ?? error))}`);
  }
}

function fenceKey(cache: RegionCache, key: string): string {
  return `${cache.prefix}fence:${key}`;
}
