import { Module } from '@nestjs/common';
import { RedisService } from '../redis/redis.service';
import { ALERT_STORE } from './alert-store';
import { ALERT_SETTINGS, alertSettings } from './alert.settings';
import type { AlertSettings } from './alert.settings';
import { AlertService } from './alert.service';
import { MemoryAlertStore } from './memory-alert.store';
import { RedisAlertStore } from './redis-alert.store';

/** Alerts shared through Redis when `REDIS_URL` is set, kept in process otherwise. */
@Module({
  providers: [
    { provide: ALERT_SETTINGS, useFactory: () => alertSettings(process.env) },
    {
      provide: ALERT_STORE,
      useFactory: (redis: RedisService, settings: AlertSettings) =>
        redis.client ? new RedisAlertStore(redis, settings.historyLimit) : new MemoryAlertStore(settings.historyLimit),
      inject: [RedisService, ALERT_SETTINGS],
    },
    AlertService,
  ],
  exports: [AlertService, ALERT_SETTINGS],
})
export class AlertsModule {}
