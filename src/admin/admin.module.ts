import { Module } from '@nestjs/common';
import { FailoverModule } from '../failover/failover.module';
import { HealthModule } from '../health/health.module';
import { MaintenanceController } from '../maintenance/maintenance.controller';
import { MaintenanceModule } from '../maintenance/maintenance.module';
import { QueryAnalysisModule } from '../query-analysis/query-analysis.module';
import { RouterModule } from '../router/router.module';
import { AlertsModule } from '../alerts/alerts.module';
import { StatusFeed } from './status-feed';
import { SystemStatusService } from './system-status.service';
import { DatabaseController } from './database.controller';

@Module({
  imports: [HealthModule, AlertsModule, FailoverModule, RouterModule, QueryAnalysisModule, MaintenanceModule],
  providers: [SystemStatusService, StatusFeed],
  controllers: [DatabaseController, MaintenanceController],
})
export class AdminModule {}
