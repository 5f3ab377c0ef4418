import { Controller, Get, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { HealthCheckResponseFilter } from './health-check-response.filter';
import { WritablePrimariesHealthIndicator } from './writable-primaries.health';

/** Orchestrator probes: live while the process runs, ready while every group has a writable primary. */
@ApiTags('probes')
@Controller('health')
@UseFilters(HealthCheckResponseFilter)
export class ProbesController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly primaries: WritablePrimariesHealthIndicator,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: 200 while the process runs' })
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: 503 while any group has no healthy writable primary, with the reason per group and endpoint' })
  @HealthCheck()
  ready() {
    return this.health.check(this.primaries.checks());
  }
}
