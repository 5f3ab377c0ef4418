import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { HealthIndicatorFunction } from '@nestjs/terminus';
import { DatabaseHealthMonitorService } from '../health/database-health-monitor.service';
import { HealthReportService } from '../health/health-report.service';

/**
 * One indicator per replication group: up while its current primary is healthy and writable. The body
 * names the primary and, for every endpoint of the group, whether it is healthy and why not.
 */
@Injectable()
export class WritablePrimariesHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly report: HealthReportService,
    private readonly monitor: DatabaseHealthMonitorService,
  ) {}

  checks(): HealthIndicatorFunction[] {
    return this.report.primaries().map((verdict) => () => {
      const session = this.indicators.check(verdict.group);
      const data = { primary: verdict.primaryId, endpoints: this.endpointsOf(verdict.group) };
      return verdict.writable ? session.up(data) : session.down({ ...data, reason: verdict.reason });
    });
  }

  private endpointsOf(group: string): Record<string, { healthy: boolean; role: string; error?: string }> {
    const entries = [...this.monitor.getHealthStatus().values()]
      .filter((h) => h.group === group)
      .map((h) => [h.id, { healthy: h.isHealthy, role: h.role, ...(h.isHealthy || !h.lastError ? {} : { error: h.lastError }) }]);
    return Object.fromEntries(entries);
  }
}
