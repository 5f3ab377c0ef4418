import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { HealthModule } from '../health/health.module';
import { MaintenanceModule } from '../maintenance/maintenance.module';
import { FailoverHistory } from './failover-history';
import { FailoverLock } from './failover-lock';
import { FailoverQuorum } from './failover-quorum';
import { FormerPrimaryFence } from './former-primary-fence';
import { ServerAdmins } from './server-admins';
import { RegionalFailoverService } from './regional-failover.service';

@Module({
  imports: [HealthModule, AlertsModule, MaintenanceModule],
  providers: [RegionalFailoverService, FailoverLock, FailoverHistory, FailoverQuorum, ServerAdmins, FormerPrimaryFence],
  exports: [RegionalFailoverService],
})
export class FailoverModule {}
