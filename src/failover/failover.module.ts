import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AppConfig, environmentOf } from '../config/settings.module';
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
    { provide: FAILOVER_SETTINGS, useFactory: (config: AppConfig) => failoverSettings(environmentOf(config)), inject: [ConfigService] },
    { provide: QUORUM_SETTINGS, useFactory: (config: AppConfig) => quorumSettings(environmentOf(config)), inject: [ConfigService] },
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
