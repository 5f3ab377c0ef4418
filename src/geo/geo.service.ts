import { ForbiddenException, Inject, Injectable, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../config/settings.module';
import { ConnectionRouter, EndpointConnectionInfo, InjectTopology, type ReplicationGroupConfig, type Topology } from '@regional-db/nestjs';
import { RegionalCacheService } from '../regional-cache/regional-cache.service';
import { violatedConstraint } from '../users/localized-outage';
import type { GeoWriter } from './geo-writer';
import type { GeoReadResult, GeoRegionStats, GeoStats, GeoWriteResult } from './geo.dto';
import { inRegion } from './in-region';

const cacheKey = (key: string) => `geo:${key}`;
/**
 * How long a write's fence is kept: far longer than a replica may lag behind and still be read (the router's
 * `ROUTER_DEFAULT_MAX_LAG_MS`, 5 s by default) and than any read in flight.
 */
const FENCE_SECONDS = 30;

/**
 * Seed 001's geo key-value store: values live in the global database (written to its primary, replicated by
 * PostgreSQL to replicas in other regions) and are read through the caller's region cache (`GEO_CACHE_TTL_SECONDS`)
 * from the global copy nearest to the caller.
 */
@Injectable()
export class GeoService {
  private readonly ttlSeconds: number;
  private readonly global: ReplicationGroupConfig | null;
  private readonly regions: string[];

  constructor(
    private readonly db: ConnectionRouter,
    private readonly cache: RegionalCacheService,
    @InjectTopology() topology: Topology,
    @Inject(ConfigService) config: AppConfig,
  ) {
    this.ttlSeconds = config.get('GEO_CACHE_TTL_SECONDS', { infer: true });
    this.global = topology.global;
    this.regions = topology.regions.map((r) => r.name);
  }

  async write(writer: GeoWriter, key: string, value: string): Promise<GeoWriteResult> {
    const global = this.requireGlobal();
    await this.store(writer, key, value);
    const lsn = await this.db.consistencyToken(global.name);
    const { invalidated } = await this.cache.invalidateEverywhere(cacheKey(key), lsn, FENCE_SECONDS);
    const copies = this.globalCopies();
    const primary = copies.find((c) => c.role === 'primary');
    const replicatedTo = copies.filter((c) => c.role === 'replica' && c.healthy !== false).map((c) => c.region);
    return { key, primary_region: primary?.region ?? global.region, replicated_to: [...new Set(replicatedTo)], lsn, invalidated };
  }

  /** An admin writes any key; a user creates a key (becoming its owner) or overwrites one they own, else 403. */
  private async store(writer: GeoWriter, key: string, value: string): Promise<void> {
    const kv = this.db.global().write().keyValue;
    if (writer.admin) {
      await kv.upsert({ where: { key }, create: { key, value, ownerId: null }, update: { value } });
      return;
    }
    const overwrite = () => kv.updateMany({ where: { key, ownerId: writer.sub }, data: { value } });
    if ((await overwrite()).count === 1) return;
    try {
      await kv.create({ data: { key, value, ownerId: writer.sub } });
    } catch (error) {
      if (violatedConstraint(error) !== 'kv_pkey') throw error;
      // Created meanwhile, perhaps by this same user in a concurrent request.
      if ((await overwrite()).count === 1) return;
      throw new ForbiddenException(`Key "${key}" belongs to another user`);
    }
  }

  /** For the request's region (X-Region, token, default): its cache, else the nearest global copy, then cached. */
  async read(key: string): Promise<GeoReadResult> {
    this.requireGlobal();
    const region = this.db.currentRegion();
    const started = performance.now();
    const cached = await this.cache.lookup(region, cacheKey(key));
    if (cached.value !== null) return { key, value: cached.value, region, source: 'cache', latency_ms: since(started) };
    // A fence means a write invalidated the key lately: read only where that write has been replayed.
    const copy = this.db.global().read(cached.fence === null ? {} : { consistencyToken: cached.fence });
    const row = await copy.keyValue.findUnique({ where: { key }, select: { value: true } });
    if (!row) throw new NotFoundException(`Key "${key}" not found`);
    await this.cache.fill(region, cacheKey(key), row.value, cached.fence, this.ttlSeconds);
    return { key, value: row.value, region, source: 'database', latency_ms: since(started) };
  }

  /** Per region: the keys its nearest global copy holds, and whether the global copies there are healthy. */
  async stats(): Promise<GeoStats> {
    const global = this.requireGlobal();
    const copies = this.globalCopies();
    const regions = await Promise.all(this.regions.map((region) => this.regionStats(region, copies.filter((c) => c.region === region))));
    return { regions, healthy_regions: regions.filter((r) => r.healthy).length, replication_enabled: global.replicas.length > 0 };
  }

  private async regionStats(region: string, here: EndpointConnectionInfo[]): Promise<GeoRegionStats> {
    const global = this.db.global();
    try {
      // The primary's region reads the primary (a replica elsewhere is not "its" copy); others their nearest replica.
      const count = here.some((c) => c.role === 'primary')
        ? global.write().keyValue.count()
        : inRegion(region, () => global.read().keyValue.count());
      const total = await count;
      return { region, total_records: total, healthy: here.length > 0 && here.every((c) => c.healthy !== false) };
    } catch {
      return { region, total_records: null, healthy: false };
    }
  }

  private globalCopies(): EndpointConnectionInfo[] {
    return this.db.connections().filter((c) => c.group === this.global?.name);
  }

  private requireGlobal(): ReplicationGroupConfig {
    if (!this.global) throw new ServiceUnavailableException('The geo key-value store needs a global database, and the topology has none');
    return this.global;
  }
}

function since(started: number): number {
  return Math.round((performance.now() - started) * 1000) / 1000;
}
