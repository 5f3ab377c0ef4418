import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { EndpointRegistry } from '../database/endpoint-registry';
import { DatabaseHealthMonitorService } from '../health/database-health-monitor.service';
import type { EndpointHealthEvent } from '../health/database-health-monitor.service';
import { TopologyStateService } from '../topology-state/topology-state.service';

/**
 * A replica confirmed down has every query in flight on it cut, as a former primary's are: a frozen server
 * would otherwise hold those reads until their client timeout, while the cut ones are retried at once on
 * another endpoint. The group's primary is left to the failover service.
 */
@Injectable()
export class DownReplicaAbort implements OnApplicationBootstrap {
  constructor(
    private readonly monitor: DatabaseHealthMonitorService,
    private readonly registry: EndpointRegistry,
    private readonly state: TopologyStateService,
  ) {}

  onApplicationBootstrap(): void {
    this.monitor.events.on('endpoint-down', ({ endpointId, group }: EndpointHealthEvent) => {
      if (this.state.primaryOf(group) !== endpointId) void this.registry.get(endpointId).abort();
    });
  }
}
