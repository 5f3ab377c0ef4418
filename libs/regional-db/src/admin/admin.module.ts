import { DynamicModule, Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { FailoverModule } from '../failover/failover.module';
import { HealthModule } from '../health/health.module';
import { MaintenanceController } from '../maintenance/maintenance.controller';
import { MaintenanceModule } from '../maintenance/maintenance.module';
import { QueryAnalysisModule } from '../query-analysis/query-analysis.module';
import { RouterModule } from '../router/router.module';
import { ADMIN_API_ACCESS, AdminApiAccess, AdminApiGuard, AdminApiInterceptor } from './admin-access';
import { DatabaseController } from './database.controller';
import { StatusFeed } from './status-feed';
import { SystemStatusService } from './system-status.service';

/**
 * Seed 002's admin API (`/api/database/...`: health, replication, alerts, failover, maintenance, status stream),
 * opt-in beside `RegionalDatabaseModule`. There is no open default: `access` names the application's guards.
 */
@Module({})
export class DatabaseAdminModule {
  static forRoot(options: { access: AdminApiAccess }): DynamicModule {
    return {
      module: DatabaseAdminModule,
      imports: [HealthModule, AlertsModule, FailoverModule, RouterModule, QueryAnalysisModule, MaintenanceModule],
      providers: [{ provide: ADMIN_API_ACCESS, useValue: options.access }, AdminApiGuard, AdminApiInterceptor, SystemStatusService, StatusFeed],
      controllers: [DatabaseController, MaintenanceController],
      exports: [SystemStatusService, StatusFeed],
    };
  }
}
