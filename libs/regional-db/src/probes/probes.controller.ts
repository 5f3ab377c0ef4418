import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import type { Response } from 'express';
import { RedisService } from '../redis/redis.service';
import type { Coordination } from '../redis/redis.service';
import { readinessReport } from './group-readiness';
import type { ReadinessReport } from './group-readiness';
import { GroupSnapshots } from './group-snapshots';
import { ReadinessLog } from './readiness-log';

/** Orchestrator probes: live while the process runs, ready while this instance can serve some group. */
@ApiTags('probes')
@Controller('health')
export class ProbesController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly snapshots: GroupSnapshots,
    private readonly log: ReadinessLog,
    private readonly redis: RedisService,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: 200 while the process runs' })
  @ApiResponse({ status: 200, description: 'The process runs' })
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: 200 while this instance can serve some group (each group reported with its status), 503 when none' })
  @ApiResponse({ status: 200, description: 'Some group can be served; each group with its status (writable, read-only or lost)' })
  @ApiResponse({ status: 503, description: 'No replication group can be served: no topology state, or every group lost' })
  ready(@Res({ passthrough: true }) response: Response): ReadinessReport & { coordination: Coordination } {
    const report = readinessReport(this.snapshots.all());
    this.log.observe(report);
    response.status(report.status === 'ready' ? 200 : 503);
    // Redis down is not unreadiness (this instance serves from its own view), but the body says so.
    return { ...report, coordination: this.redis.coordination };
  }
}
