import { BadRequestException, Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ConnectionRouterService, EndpointConnectionInfo } from './connection-router.service';
import type { RoutingMetricsSnapshot } from './routing-metrics';

/** Seed 002's connection pool endpoints. Pool figures and roles only: never a URL or a password. */
@Controller('api/database')
export class ConnectionsController {
  constructor(private readonly router: ConnectionRouterService) {}

  @Get('connections')
  connections(): { endpoints: EndpointConnectionInfo[]; routing: RoutingMetricsSnapshot } {
    return { endpoints: this.router.connections(), routing: this.router.routingMetrics() };
  }

  /** Body `{ "group": "us-east" }` refreshes one replication group's pools; no body, all of them. */
  @Post('connections/refresh')
  @HttpCode(200)
  refresh(@Body('group') group?: unknown): Promise<{ refreshed: string[] }> {
    if (group !== undefined && typeof group !== 'string') throw new BadRequestException('group must be a string');
    return this.router.refreshConnections(group);
  }
}
