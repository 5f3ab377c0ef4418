import { Module } from '@nestjs/common';
import { REGIONAL_DATABASE_SETTINGS, RegionalDatabaseSettings } from '../config/regional-database.settings';
import { AlertsModule } from '../alerts/alerts.module';
import { HealthModule } from '../health/health.module';
import { MaintenanceModule } from '../maintenance/maintenance.module';
import { FailoverHistory } from './failover-history';
import { FailoverLock } from './failover-lock';
import { FailoverQuorum, QUORUM_SETTINGS, quorumSettings } from './failover-quorum';
import { FAILOVER_SETTINGS, failoverSettings } from './failover.settings';
import { FormerPrimaryFence } from './former-primary-fence';
import { ServerAdmins } from './server-admins';
import { RegionalFailoverService } from './regional-failover.service';

@Module({
  imports: [HealthModule, AlertsModule, MaintenanceModule],
  providers: [
    { provide: FAILOVER_SETTINGS, useFactory: failoverSettings, inject: [REGIONAL_DATABASE_SETTINGS] },
    { provide: QUORUM_SETTINGS, useFactory: quorumSettings, inject: [REGIONAL_DATABASE_SETTINGS] },
    RegionalFailoverService,
    FailoverLock,
    FailoverHistory,
    FailoverQuorum,
    ServerAdmins,
    FormerPrimaryFence,
  ],
  exports: [RegionalFailoverService],
})
export class FailoverModule {}
