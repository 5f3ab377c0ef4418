import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthModule } from '../health/health.module';
import { ProbesController } from './probes.controller';
import { WritablePrimariesHealthIndicator } from './writable-primaries.health';

@Module({
  imports: [TerminusModule, HealthModule],
  controllers: [ProbesController],
  providers: [WritablePrimariesHealthIndicator],
})
export class ProbesModule {}
