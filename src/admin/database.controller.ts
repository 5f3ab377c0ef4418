import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminMutation, CurrentUser, ViewerOrAdmin } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { RegionalFailoverService } from '../failover/regional-failover.service';
import { QueryAnalysisService } from '../query-analysis/query-analysis.service';
import { ConnectionRouterService } from '../router/connection-router.service';
import { DatabaseHealthMonitorService } from '../health/database-health-monitor.service';
import { HealthReportService } from '../health/health-report.service';
import { AlertsQuery, AnalyzeQueryBody, FailoverBody, FailoverHistoryQuery, MetricsQuery, RefreshConnectionsBody } from './database-queries.dto';
import { SystemStatusService } from './system-status.service';

/** Seed 002's administration API over the database topology. */
@ApiTags('database')
@Controller('api/database')
export class DatabaseController {
  constructor(
    private readonly report: HealthReportService,
    private readonly monitor: DatabaseHealthMonitorService,
    private readonly failovers: RegionalFailoverService,
    private readonly system: SystemStatusService,
    private readonly router: ConnectionRouterService,
    private readonly analyzer: QueryAnalysisService,
  ) {}

  @Get('status')
  @ViewerOrAdmin()
  @ApiOperation({ summary: 'The whole picture: groups, endpoints with role, health, lag and pool use, primaries and epochs, alerts, last failovers' })
  status() {
    return this.system.status();
  }

  @Get('export')
  @ViewerOrAdmin()
  @Header('Content-Type', 'application/json')
  @ApiOperation({ summary: 'A complete, timestamped JSON report: topology, health history, alerts, failovers, routing metrics' })
  async export(@Res({ passthrough: true }) response: Response) {
    const report = await this.system.export();
    response.setHeader('Content-Disposition', `attachment; filename="database-report-${report.exportedAt.replace(/[:.]/g, '-')}.json"`);
    return report;
  }

  @Get('health')
  @ViewerOrAdmin()
  @ApiOperation({ summary: 'System health (overall, primaryHealthy, activeAlerts), each group primary and every endpoint' })
  health() {
    return this.report.systemHealth();
  }

  @Get('alerts')
  @ViewerOrAdmin()
  @ApiOperation({ summary: 'Active alerts and the latest alert changes, newest first' })
  alerts(@Query() query: AlertsQuery) {
    return this.report.alertsReport(query.limit);
  }

  @Get('metrics')
  @ViewerOrAdmin()
  @ApiOperation({ summary: 'Per endpoint: recent probes, p50/p95/p99, probe and traffic error rates, throughput, lag' })
  metrics(@Query() query: MetricsQuery) {
    return this.report.metrics(query.endpoint, query.limit);
  }

  @Get('performance')
  @ViewerOrAdmin()
  @ApiOperation({ summary: 'Performance summary: response times, throughput, error rate, replica health, lag' })
  performance() {
    return this.report.performance();
  }

  @Post('health-check')
  @HttpCode(200)
  @AdminMutation('health-check')
  @ApiOperation({ summary: 'Probes every endpoint now and returns the round (shares a round already running)' })
  healthCheck() {
    return this.monitor.runRound();
  }

  @Post('failover/:region')
  @HttpCode(200)
  @AdminMutation('failover')
  @ApiOperation({ summary: 'Fail a region over now: a planned switchover (no acknowledged write lost) when its primary is healthy' })
  failover(@Param('region') region: string, @Body() body: FailoverBody, @CurrentUser() user: AuthenticatedUser) {
    return this.failovers.manualFailover(region, user.sub, body);
  }

  @Post('reconnect/:region')
  @HttpCode(200)
  @AdminMutation('reconnect')
  @ApiOperation({ summary: "Recreate a region's connection pools and re-discover which server is primary" })
  reconnect(@Param('region') region: string) {
    return this.failovers.reconnect(region);
  }

  @Get('failover-history')
  @ViewerOrAdmin()
  @ApiOperation({ summary: 'Past failovers, newest first: trigger, from and to, step durations, outcome, lag at promotion' })
  async failoverHistory(@Query() query: FailoverHistoryQuery) {
    return { failovers: await this.failovers.history(query.limit) };
  }

  @Get('connections')
  @ViewerOrAdmin()
  @ApiOperation({ summary: 'Pool size, in use, idle and waiting per endpoint, with routing metrics (no connection strings)' })
  connections() {
    return { endpoints: this.router.connections(), routing: this.router.routingMetrics() };
  }

  @Post('connections/refresh')
  @HttpCode(200)
  @AdminMutation('connections-refresh')
  @ApiOperation({ summary: "New pools for one group's endpoints (or all), without dropping queries in flight" })
  refreshConnections(@Body() body: RefreshConnectionsBody) {
    return this.router.refreshConnections(body.group);
  }

  @Post('analyze-query')
  @HttpCode(200)
  @ViewerOrAdmin()
  @ApiOperation({ summary: "Classify SQL with PostgreSQL's own parser: read or write, complexity, where it would be routed" })
  analyzeQuery(@Body() body: AnalyzeQueryBody) {
    return this.analyzer.analyze(body.query);
  }
}
