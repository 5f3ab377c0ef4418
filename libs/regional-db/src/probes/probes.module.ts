import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthModule } from '../health/health.module';
import { GroupProbesController } from './group-probes.controller';
import { GroupSnapshots } from './group-snapshots';
import { ProbesController } from './probes.controller';
import { ReadinessLog } from './readiness-log';
import { RegionalDatabaseHealthIndicator } from './regional-database.health-indicator';

/** The Terminus indicators alone, for an application that has its own health controller. */
@Module({
  imports: [TerminusModule, HealthModule],
  providers: [GroupSnapshots, RegionalDatabaseHealthIndicator],
  exports: [GroupSnapshots, RegionalDatabaseHealthIndicator],
})
export class RegionalDatabaseHealthModule {}

/** Liveness, readiness and per-group role probes (`/health/...`), from the health monitor's and topology state's view. */
@Module({
  imports: [TerminusModule, RegionalDatabaseHealthModule],
  controllers: [ProbesController, GroupProbesController],
  providers: [ReadinessLog],
  exports: [RegionalDatabaseHealthModule],
})
export class ProbesModule {}
