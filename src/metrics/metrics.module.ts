import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AlertsModule } from '../alerts/alerts.module';
import { AppConfig, environmentOf } from '../config/settings.module';
import { FailoverModule } from '../failover/failover.module';
import { HealthModule } from '../health/health.module';
import { RouterModule } from '../router/router.module';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';
import { MetricsTokenGuard } from './metrics-token.guard';
import { METRICS_SETTINGS, metricsSettings } from './metrics.settings';

/** `GET /metrics`: the database topology in Prometheus' text format. */
@Module({
  imports: [HealthModule, AlertsModule, FailoverModule, RouterModule],
  providers: [{ provide: METRICS_SETTINGS, useFactory: (config: AppConfig) => metricsSettings(environmentOf(config)), inject: [ConfigService] }, MetricsService, MetricsTokenGuard],
  controllers: [MetricsController],
})
export class MetricsModule {}
