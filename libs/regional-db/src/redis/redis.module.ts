import { Global, Module } from '@nestjs/common';
import { REGIONAL_DATABASE_SETTINGS, RegionalDatabaseSettings } from '../config/regional-database.settings';
import { redisSettings } from './redis.settings';
import { RedisService } from './redis.service';

@Global()
@Module({
  providers: [{ provide: RedisService, useFactory: (settings: RegionalDatabaseSettings) => new RedisService(redisSettings(settings)), inject: [REGIONAL_DATABASE_SETTINGS] }],
  exports: [RedisService],
})
export class RedisModule {}
