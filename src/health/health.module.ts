import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ScheduleModule } from '@nestjs/schedule';
import { AlertsModule } from '../alerts/alerts.module';
import { AppConfig, environmentOf } from '../config/settings.module';
import { DatabaseHealthMonitorService } from './database-health-monitor.service';
import { HealthAlertsService } from './health-alerts.service';
import { HealthReportService } from './health-report.service';
import { HEALTH_SETTINGS, healthSettings } from './health.settings';

/** Probing, verdicts and metrics of every endpoint, and the alerts they raise. */
@Module({
  imports: [ScheduleModule.forRoot(), AlertsModule],
  providers: [
    { provide: HEALTH_SETTINGS, useFactory: (config: AppConfig) => healthSettings(environmentOf(config)), inject: [ConfigService] },
    DatabaseHealthMonitorService,
    HealthAlertsService,
    HealthReportService,
  ],
  exports: [DatabaseHealthMonitorService, HealthReportService],
})
export class HealthModule {}
