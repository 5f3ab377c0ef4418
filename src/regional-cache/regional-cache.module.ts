import { Module } from '@nestjs/common';
import { RegionalCacheService } from './regional-cache.service';

/** One cache per region (seed 001), for feature modules' read-through caching. */
@Module({ providers: [RegionalCacheService], exports: [RegionalCacheService] })
export class RegionalCacheModule {}
