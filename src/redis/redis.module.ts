import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AppConfig, environmentOf } from '../config/settings.module';
import { redisSettings } from './redis.settings';
import { RedisService } from './redis.service';

@Global()
@Module({
  providers: [{ provide: RedisService, useFactory: (config: AppConfig) => new RedisService(redisSettings(environmentOf(config))), inject: [ConfigService] }],
  exports: [RedisService],
})
export class RedisModule {}
