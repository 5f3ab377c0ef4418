import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../config/settings.module';
import { ConnectionRouter, redactSecrets, RedisService } from '@regional-db/nestjs';

/**
 * Where a user lives (seed 000's discovery service): Redis `user_region:<handle>` first, then the global
 * directory (a replica, then the primary when the replica has not seen a fresh registration yet), cached for
 * `USER_REGION_CACHE_TTL_SECONDS`. Counts its global-database queries so a benchmark can show that a warm
 * cache makes none.
 */
@Injectable()
export class UserDirectory {
  private readonly logger = new Logger(UserDirectory.name);
  private readonly ttlSeconds: number;
  private queries = 0;

  constructor(
    private readonly db: ConnectionRouter,
    private readonly redis: RedisService,
    @Inject(ConfigService) config: AppConfig,
  ) {
    this.ttlSeconds = config.get('USER_REGION_CACHE_TTL_SECONDS', { infer: true });
  }

  /** Global-database queries made by lookups since the process started. */
  get globalQueries(): number {
    return this.queries;
  }

  /** The handle's home region, or null when no one has it. */
  async regionOf(handle: string): Promise<string | null> {
    const cached = await this.cached(handle);
    if (cached !== null) return cached;
    const region = (await this.fromDirectory(handle, 'replica')) ?? (await this.fromDirectory(handle, 'primary'));
    if (region !== null) await this.remember(handle, region);
    return region;
  }

  /** The region from the directory's primary, bypassing the cache and replicas (after a stale answer). */
  async refresh(handle: string): Promise<string | null> {
    const region = await this.fromDirectory(handle, 'primary');
    if (region === null) await this.forget(handle);
    else await this.remember(handle, region);
    return region;
  }

  async remember(handle: string, region: string): Promise<void> {
    await this.redis.client?.set(this.key(handle), region, 'EX', this.ttlSeconds).catch((error) => this.warn('cache', error));
  }

  async forget(handle: string): Promise<void> {
    await this.redis.client?.del(this.key(handle)).catch((error) => this.warn('invalidate', error));
  }

  private async cached(handle: string): Promise<string | null> {
    if (!this.redis.client) return null;
    return this.redis.client.get(this.key(handle)).catch((error) => {
      this.warn('read', error);
      return null;
    });
  }

  private async fromDirectory(handle: string, where: 'replica' | 'primary'): Promise<string | null> {
    this.queries++;
    const global = this.db.global();
    const client = where === 'primary' ? global.write() : global.read();
    const entry = await client.directoryEntry.findUnique({ where: { handle }, select: { homeRegion: true } });
    return entry?.homeRegion ?? null;
  }

  private key(handle: string): string {
    return this.redis.key('user_region', handle);
  }

  private warn(what: string, error: unknown): void {
    this.logger.warn(`user_region cache ${what} failed: ${redactSecrets(String((error as Error)?.message ?? error))}`);
  }
}
