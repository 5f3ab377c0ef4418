import { Body, Controller, Get, Header, HttpCode, MessageEvent, Param, ParseUUIDPipe, Post, Query, Res, Sse, UsePipes } from '@nestjs/common';
import { Observable } from 'rxjs';
import type { Response } from 'express';
import { ApiBadRequestResponse, ApiBody, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminCaller, AdminMutation, AdminRead } from './admin-access';
import { ErrorResponse } from '../common/error-response';
import { validationPipe } from '../common/validation';
import { NoQuery } from '../common/no-query';
import { RegionalFailoverService } from '../failover/regional-failover.service';
import { QueryAnalysisService } from '../query-analysis/query-analysis.service';
import { ConnectionRouterService } from '../router/connection-router.service';
import { DatabaseHealthMonitorService } from '../health/database-health-monitor.service';
import { HealthReportService } from '../health/health-report.service';
import { AlertService } from '../alerts/alert.service';
import { DATABASE_API_EXAMPLES as EXAMPLE } from './database-api.examples';
import { DATABASE_API_SCHEMAS as SCHEMA } from './database-api.schemas';
import { AlertsQuery, AnalyzeQueryBody, FailoverBody, FailoverHistoryQuery, MetricsQuery, RefreshConnectionsBody, SilenceBody } from './database-queries.dto';
import { StatusFeed } from './status-feed';
import { SystemStatusService } from './system-status.service';

/** Seed 002's administration API over the database topology. */
@ApiTags('database')
@ApiBadRequestResponse({ type: ErrorResponse, description: 'An invalid or undeclared query parameter or body field, or an unknown region in X-Region' })
// Its own validation: nothing global is assumed of the application.
@UsePipes(validationPipe())
@Controller('api/database')
export class DatabaseController {
  constructor(
    private readonly report: HealthReportService,
    private readonly monitor: DatabaseHealthMonitorService,
    private readonly failovers: RegionalFailoverService,
    private readonly system: SystemStatusService,
    private readonly router: ConnectionRouterService,
    private readonly analyzer: QueryAnalysisService,
    private readonly feed: StatusFeed,
    private readonly alertService: AlertService,
  ) {}

  @Get('status')
  @AdminRead()
  @ApiOperation({ summary: 'The whole picture: groups, endpoints with role, health, lag and pool use, primaries and epochs, alerts, last failovers' })
  @ApiOkResponse({ description: 'The whole picture', schema: SCHEMA.status, example: EXAMPLE.status })
  status(@Query() _query: NoQuery) {
    return this.system.status();
  }

  @Sse('events')
  @AdminRead()
  @ApiOperation({ summary: 'The status as server-sent events (`event: status`), pushed at every change of health, primary, alerts or (made on this instance) maintenance pauses, and at least every 1.5 s' })
  @ApiOkResponse({
    description: 'A text/event-stream of status pictures',
    content: { 'text/event-stream': { schema: { type: 'string', description: '`event: status` messages whose `data` is the JSON that GET status answers' } } },
  })
  events(@Query() _query: NoQuery): Observable<MessageEvent> {
    return this.feed.stream();
  }

  @Get('export')
  @AdminRead()
  @Header('Content-Type', 'application/json')
  @ApiOperation({ summary: 'A complete, timestamped JSON report: topology, health history, alerts, failovers, routing metrics' })
  @ApiOkResponse({ description: 'A JSON attachment named database-report-<timestamp>.json', schema: SCHEMA.export, example: EXAMPLE.export })
  async export(@Query() _query: NoQuery, @Res({ passthrough: true }) response: Response) {
    const report = await this.system.export();
    response.setHeader('Content-Disposition', `attachment; filename="database-report-${report.exportedAt.replace(/[:.]/g, '-')}.json"`);
    return report;
  }

  @Get('health')
  @AdminRead()
  @ApiOperation({ summary: 'System health (overall, primaryHealthy, activeAlerts), each group primary and every endpoint' })
  @ApiOkResponse({ description: 'Overall health, each group primary and every endpoint', schema: SCHEMA.health, example: EXAMPLE.health })
  async health(@Query() _query: NoQuery) {
    return { ...(await this.report.systemHealth()), coordination: this.system.coordination() };
  }

  @Get('alerts')
  @AdminRead()
  @ApiOperation({ summary: 'Active alerts and the latest alert changes, newest first' })
  @ApiOkResponse({ description: 'Active alerts and recent changes', schema: SCHEMA.alerts, example: EXAMPLE.alerts })
  async alerts(@Query() query: AlertsQuery) {
    return { ...(await this.report.alertsReport(query.limit)), coordination: this.system.coordination() };
  }

  @Post('alerts/:id/acknowledge')
  @HttpCode(200)
  @AdminMutation('alert-acknowledge')
  @ApiOperation({ summary: 'Acknowledge an active alert: who saw it and when, until it resolves or escalates' })
  @ApiOkResponse({ description: 'The alert, acknowledged', schema: SCHEMA.alert, example: EXAMPLE.acknowledgedAlert })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'No active alert with that id' })
  acknowledgeAlert(@Param('id', new ParseUUIDPipe()) id: string, @Query() _query: NoQuery, @AdminCaller() caller: string) {
    return this.alertService.acknowledge(id, caller);
  }

  @Post('alerts/:id/silence')
  @HttpCode(200)
  @AdminMutation('alert-silence')
  @ApiOperation({ summary: "Silence an active alert's webhook notifications for a duration (its resolution is still posted)" })
  @ApiOkResponse({ description: 'The alert, silenced until the time given', schema: SCHEMA.alert, example: EXAMPLE.silencedAlert })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'No active alert with that id' })
  silenceAlert(@Param('id', new ParseUUIDPipe()) id: string, @Query() _query: NoQuery, @Body() body: SilenceBody, @AdminCaller() caller: string) {
    return this.alertService.silence(id, caller, body.durationSeconds, body.comment ?? null);
  }

  @Get('metrics')
  @AdminRead()
  @ApiOperation({ summary: 'Per endpoint: recent probes, p50/p95/p99, probe and traffic error rates, throughput, lag' })
  @ApiOkResponse({ description: 'Per-endpoint probe and traffic metrics', schema: SCHEMA.metrics, example: EXAMPLE.metrics })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'Unknown endpoint' })
  metrics(@Query() query: MetricsQuery) {
    return this.report.metrics(query.endpoint, query.limit);
  }

  @Get('performance')
  @AdminRead()
  @ApiOperation({ summary: 'Performance summary: response times, throughput, error rate, replica health, lag' })
  @ApiOkResponse({ description: 'Performance summary', schema: SCHEMA.performance, example: EXAMPLE.performance })
  performance(@Query() _query: NoQuery) {
    return this.report.performance();
  }

  @Post('health-check')
  @HttpCode(200)
  @AdminMutation('health-check')
  @ApiOperation({ summary: 'Probes every endpoint now and returns the round (shares a round already running)' })
  @ApiOkResponse({ description: 'The probe round just run', schema: SCHEMA.healthCheck, example: EXAMPLE.healthCheck })
  healthCheck(@Query() _query: NoQuery) {
    return this.monitor.runRound();
  }

  @Post('failover/:region')
  @HttpCode(200)
  @AdminMutation('failover')
  @ApiOperation({ summary: 'Fail a region over now: a planned switchover (no acknowledged write lost) when its primary is healthy' })
  @ApiOkResponse({ description: 'The failover record, completed or not (success says which)', schema: SCHEMA.failover, example: EXAMPLE.failover })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'Unknown region' })
  @ApiBody({ type: FailoverBody, required: false })
  failover(@Param('region') region: string, @Query() _query: NoQuery, @Body() body: FailoverBody, @AdminCaller() caller: string) {
    return this.failovers.manualFailover(region, caller, body);
  }

  @Post('reconnect/:region')
  @HttpCode(200)
  @AdminMutation('reconnect')
  @ApiOperation({ summary: "Recreate a region's connection pools and re-discover which server is primary" })
  @ApiOkResponse({ description: 'Pools recreated and the primary found', schema: SCHEMA.reconnect, example: EXAMPLE.reconnect })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'Unknown region' })
  reconnect(@Param('region') region: string, @Query() _query: NoQuery) {
    return this.failovers.reconnect(region);
  }

  @Get('failover-history')
  @AdminRead()
  @ApiOperation({ summary: 'Past failovers, newest first, a page at a time (limit, offset): trigger, from and to, step durations, outcome, lag at promotion' })
  @ApiOkResponse({ description: 'A page of past failovers, newest first, and how many are kept', schema: SCHEMA.failoverHistory, example: EXAMPLE.failoverHistory })
  async failoverHistory(@Query() query: FailoverHistoryQuery) {
    const page = await this.system.failoverHistoryPage(query.limit, query.offset);
    return { ...page, offset: query.offset, coordination: this.system.coordination() };
  }

  @Get('connections')
  @AdminRead()
  @ApiOperation({ summary: 'Pool size, in use, idle and waiting per endpoint, with routing metrics (no connection strings)' })
  @ApiOkResponse({ description: 'Pools and routing metrics', schema: SCHEMA.connections, example: EXAMPLE.connections })
  connections(@Query() _query: NoQuery) {
    return { endpoints: this.router.connections(), routing: this.router.routingMetrics() };
  }

  @Post('connections/refresh')
  @HttpCode(200)
  @AdminMutation('connections-refresh')
  @ApiOperation({ summary: "New pools for one group's endpoints (or all), without dropping queries in flight" })
  @ApiOkResponse({ description: 'The endpoints whose pools were replaced', schema: SCHEMA.refreshConnections, example: EXAMPLE.refreshConnections })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'Unknown group' })
  @ApiBody({ type: RefreshConnectionsBody, required: false })
  refreshConnections(@Query() _query: NoQuery, @Body() body: RefreshConnectionsBody) {
    return this.router.refreshConnections(body.group);
  }

  @Post('analyze-query')
  @HttpCode(200)
  @AdminRead()
  @ApiOperation({ summary: "Classify SQL with PostgreSQL's own parser: read or write, complexity, where it would be routed" })
  @ApiOkResponse({ description: 'The classification and where the query would go', schema: SCHEMA.analyzeQuery, example: EXAMPLE.analyzeQuery })
  analyzeQuery(@Query() _query: NoQuery, @Body() body: AnalyzeQueryBody) {
    return this.analyzer.analyze(body.query);
  }
}
