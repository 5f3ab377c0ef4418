import { Injectable, NotFoundException } from '@nestjs/common';
import { DatabaseHealthMonitorService } from '../health/database-health-monitor.service';
import { TopologyStateService } from '../topology-state/topology-state.service';
import type { GroupSnapshot } from './group-readiness';

/** Reads, never changes, the topology state and the health monitor's view, one group at a time or all. */
@Injectable()
export class GroupSnapshots {
  constructor(
    private readonly state: TopologyStateService,
    private readonly monitor: DatabaseHealthMonitorService,
  ) {}

  all(): GroupSnapshot[] {
    const health = [...this.monitor.getHealthStatus().values()];
    return this.state.all().map((s) => ({ group: s.group, primaryId: s.primaryId, fenced: s.fenced, endpoints: health.filter((h) => h.group === s.group) }));
  }

  /** @throws NotFoundException naming a group the topology does not have */
  of(group: string): GroupSnapshot {
    const snapshot = this.all().find((s) => s.group === group);
    if (!snapshot) throw new NotFoundException(`Unknown replication group "${group.slice(0, 100)}"`);
    return snapshot;
  }
}
