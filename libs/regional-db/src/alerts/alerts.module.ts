import { Module } from '@nestjs/common';
import { REGIONAL_DATABASE_SETTINGS, RegionalDatabaseSettings } from '../config/regional-database.settings';
import { RedisService } from '../redis/redis.service';
import { ALERT_STORE } from './alert-store';
import { ALERT_SETTINGS, alertSettings } from './alert.settings';
import type { AlertSettings } from './alert.settings';
import { AlertService } from './alert.service';
import { CoordinationAlertService } from './coordination-alert.service';
import { HeldAlertStore } from './held-alert.store';
import { MemoryAlertStore } from './memory-alert.store';
import { RedisAlertStore } from './redis-alert.store';

/** Alerts shared through Redis (held in process while it is unreachable) when configured, kept in process otherwise. */
@Module({
  providers: [
    { provide: ALERT_SETTINGS, useFactory: alertSettings, inject: [REGIONAL_DATABASE_SETTINGS] },
    {
      provide: HeldAlertStore,
      useFactory: (redis: RedisService, settings: AlertSettings) =>
        redis.client ? new HeldAlertStore(new RedisAlertStore(redis, settings.historyLimit), settings.historyLimit) : null,
      inject: [RedisService, ALERT_SETTINGS],
    },
    {
      provide: ALERT_STORE,
      useFactory: (held: HeldAlertStore | null, settings: AlertSettings) => held ?? new MemoryAlertStore(settings.historyLimit),
      inject: [HeldAlertStore, ALERT_SETTINGS],
    },
    AlertService,
    CoordinationAlertService,
  ],
  exports: [AlertService, ALERT_SETTINGS],
})
export class AlertsModule {}
