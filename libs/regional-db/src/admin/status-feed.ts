import { Injectable, MessageEvent } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { Observable } from 'rxjs';
import { AlertService } from '../alerts/alert.service';
import { DatabaseHealthMonitorService } from '../health/database-health-monitor.service';
import { MaintenanceService } from '../maintenance/maintenance.service';
import { TopologyStateService } from '../topology-state/topology-state.service';
import { SystemStatusService } from './system-status.service';

/** Even with nothing changing, lag and round-trip figures move: a fresh picture at least this often. */
const REFRESH_MS = 1_500;

/**
 * `GET /api/database/events`: the status as server-sent events, pushed at every change of an endpoint's health,
 * a group's primary, the alerts (acknowledgements too) or a pause of automatic failover made here. A poll would miss a fast failover's down state (seconds, between two polls);
 * a push shows each step. Changes that arrive while a picture is being built make one more picture, never a queue.
 */
@Injectable()
export class StatusFeed {
  constructor(
    private readonly system: SystemStatusService,
    private readonly monitor: DatabaseHealthMonitorService,
    private readonly state: TopologyStateService,
    private readonly alerts: AlertService,
    private readonly maintenance: MaintenanceService,
  ) {}

  stream(): Observable<MessageEvent> {
    return new Observable<MessageEvent>((subscriber) => {
      let building = false;
      let again = false;
      const push = async () => {
        if (building) return void (again = true);
        building = true;
        try {
          do {
            again = false;
            subscriber.next({ type: 'status', data: await this.system.status() });
          } while (again && !subscriber.closed);
        } catch (error) {
          subscriber.error(error);
        } finally {
          building = false;
        }
      };
      const sources: [EventEmitter, string][] = [
        [this.monitor.events as EventEmitter, 'endpoint-down'],
        [this.monitor.events as EventEmitter, 'endpoint-up'],
        [this.state.events, 'primary-changed'],
        [this.alerts.events as EventEmitter, 'alert'],
        [this.maintenance.events as EventEmitter, 'changed'],
      ];
      const onChange = () => void push();
      for (const [emitter, event] of sources) emitter.on(event, onChange);
      const timer = setInterval(onChange, REFRESH_MS);
      void push();
      return () => {
        clearInterval(timer);
        for (const [emitter, event] of sources) emitter.off(event, onChange);
      };
    });
  }
}
