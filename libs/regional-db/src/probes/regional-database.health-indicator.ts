import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { GroupSnapshots } from './group-snapshots';
import { primaryProbe, readOnlyProbe } from './group-probes';
import { readinessReport } from './group-readiness';

/**
 * Terminus indicators for the application's own health controller:
 *
 *   this.health.check([() => this.regionalDatabase.isReady('database'), () => this.regionalDatabase.isWritable('us-east')])
 *
 * from the health monitor's and topology state's view (no query of its own, so a probe never waits on a server).
 */
@Injectable()
export class RegionalDatabaseHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly snapshots: GroupSnapshots,
  ) {}

  /** Up while some replication group can be served (each group's status in the details). */
  isReady(key = 'regional-database') {
    const report = readinessReport(this.snapshots.all());
    const groups = Object.fromEntries(Object.entries(report.groups).map(([name, group]) => [name, group.status]));
    const check = this.indicators.check(key);
    return report.status === 'ready' ? check.up({ groups }) : check.down({ groups, reason: report.reason });
  }

  /** Up while `group`'s current primary takes writes. */
  isWritable(group: string, key = `${group}-primary`) {
    return this.result(key, primaryProbe(this.snapshots.of(group)));
  }

  /** Up while anything serves `group`'s reads: its primary or a replica. */
  isReadable(group: string, key = `${group}-reads`) {
    return this.result(key, readOnlyProbe(this.snapshots.of(group)));
  }

  private result(key: string, probe: { status: 'up' | 'down'; endpoints: string[]; reason?: string }) {
    const check = this.indicators.check(key);
    return probe.status === 'up' ? check.up({ endpoints: probe.endpoints }) : check.down({ endpoints: probe.endpoints, reason: probe.reason });
  }
}
