import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthModule } from '../health/health.module';
import { GroupProbesController } from './group-probes.controller';
import { GroupSnapshots } from './group-snapshots';
import { ProbesController } from './probes.controller';
import { ReadinessLog } from './readiness-log';

/** Liveness, readiness and per-group role probes, from the health monitor's and topology state's view. */
@Module({
  imports: [TerminusModule, HealthModule],
  controllers: [ProbesController, GroupProbesController],
  providers: [GroupSnapshots, ReadinessLog],
  exports: [GroupSnapshots],
})
export class ProbesModule {}
