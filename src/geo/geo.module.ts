import { Module } from '@nestjs/common';
import { RegionalCacheModule } from '../regional-cache/regional-cache.module';
import { RouterModule } from '@regional-db/nestjs';
import { GeoController } from './geo.controller';
import { GeoService } from './geo.service';

/** Seed 001's geo-routed key-value API over the global database and the region caches. */
@Module({
  imports: [RouterModule, RegionalCacheModule],
  controllers: [GeoController],
  providers: [GeoService],
  exports: [GeoService],
})
export class GeoModule {}
