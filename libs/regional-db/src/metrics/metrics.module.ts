import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { REGIONAL_DATABASE_SETTINGS, RegionalDatabaseSettings } from '../config/regional-database.settings';
import { FailoverModule } from '../failover/failover.module';
import { HealthModule } from '../health/health.module';
import { MaintenanceModule } from '../maintenance/maintenance.module';
import { RouterModule } from '../router/router.module';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';
import { MetricsTokenGuard } from './metrics-token.guard';
import { METRICS_SETTINGS, metricsSettings } from './metrics.settings';

/** `GET /metrics`: the database topology, the process and its HTTP traffic in Prometheus' text format. */
@Module({
  imports: [HealthModule, AlertsModule, FailoverModule, RouterModule, MaintenanceModule],
  providers: [{ provide: METRICS_SETTINGS, useFactory: metricsSettings, inject: [REGIONAL_DATABASE_SETTINGS] }, MetricsService, MetricsTokenGuard],
  controllers: [MetricsController],
})
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*');
  }
}
