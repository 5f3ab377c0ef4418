import { Module } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AlertsModule } from '../alerts/alerts.module';
import { REGIONAL_DATABASE_SETTINGS, RegionalDatabaseSettings } from '../config/regional-database.settings';
import { DatabaseHealthMonitorService } from './database-health-monitor.service';
import { HealthAlertsService } from './health-alerts.service';
import { HealthReportService } from './health-report.service';
import { HEALTH_SETTINGS, healthSettings } from './health.settings';

/**
 * Probing, verdicts and metrics of every endpoint, and the alerts they raise. Its timers live in a registry of its
 * own: no `ScheduleModule.forRoot()`, which would scan the whole application for `@Cron`/`@Interval`.
 */
@Module({
  imports: [AlertsModule],
  providers: [
    { provide: HEALTH_SETTINGS, useFactory: healthSettings, inject: [REGIONAL_DATABASE_SETTINGS] },
    SchedulerRegistry,
    DatabaseHealthMonitorService,
    HealthAlertsService,
    HealthReportService,
  ],
  exports: [DatabaseHealthMonitorService, HealthReportService],
})
export class HealthModule {}
