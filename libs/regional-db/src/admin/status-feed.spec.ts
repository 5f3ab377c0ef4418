import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { MessageEvent } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import type { AlertService } from '../alerts/alert.service';
import type { DatabaseHealthMonitorService } from '../health/database-health-monitor.service';
import type { MaintenanceService } from '../maintenance/maintenance.service';
import type { TopologyStateService } from '../topology-state/topology-state.service';
import { StatusFeed } from './status-feed';
import type { SystemStatusService } from './system-status.service';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('StatusFeed', () => {
  // The periodic refresh stays still unless a test moves the clock: each picture asked for is one a test made.
  beforeEach(() => void jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] }));
  afterEach(() => void jest.useRealTimers());
  function feed() {
    const pending: ((value: unknown) => void)[] = [];
    let built = 0;
    const system = { status: () => new Promise((resolve) => pending.push(resolve)).then(() => ({ picture: ++built })) } as unknown as SystemStatusService;
    const monitor = { events: new EventEmitter() };
    const state = { events: new EventEmitter() };
    const alerts = { events: new EventEmitter() };
    const maintenance = { events: new EventEmitter() };
    const stream = new StatusFeed(
      system,
      monitor as unknown as DatabaseHealthMonitorService,
      state as unknown as TopologyStateService,
      alerts as unknown as AlertService,
      maintenance as unknown as MaintenanceService,
    );
    return { stream, pending, monitor, state, alerts, maintenance };
  }

  it('pushes a picture at once and at each change; changes during a build make one more picture, not a queue', async () => {
    const { stream, pending, monitor, state, alerts, maintenance } = feed();
    const received: MessageEvent[] = [];
    const subscription = stream.stream().subscribe((event) => received.push(event));
    expect(pending).toHaveLength(1); // the first picture, asked for on subscription
    monitor.events.emit('endpoint-down', {});
    state.events.emit('primary-changed', {});
    alerts.events.emit('alert', {});
    maintenance.events.emit('changed');
    expect(pending).toHaveLength(1); // still building: nothing more asked yet
    pending[0](undefined);
    await tick();
    expect(received).toEqual([{ type: 'status', data: { picture: 1 } }]);
    expect(pending).toHaveLength(2); // four changes meanwhile: one more picture
    pending[1](undefined);
    await tick();
    expect(received.map((e) => e.data)).toEqual([{ picture: 1 }, { picture: 2 }]);
    expect(pending).toHaveLength(2);

    jest.advanceTimersByTime(1_500); // nothing changed for a while: a fresh picture anyway
    expect(pending).toHaveLength(3);
    pending[2](undefined);
    await tick();
    expect(received).toHaveLength(3);

    subscription.unsubscribe();
    monitor.events.emit('endpoint-up', {});
    jest.advanceTimersByTime(10_000);
    expect(pending).toHaveLength(3); // no listener or timer left behind
    expect([monitor.events, state.events, alerts.events, maintenance.events].map((e) => e.eventNames().length)).toEqual([0, 0, 0, 0]);
  });
});
