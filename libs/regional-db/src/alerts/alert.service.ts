import { BeforeApplicationShutdown, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { InjectTopology } from '../config/topology.module';
import { redactSecrets } from '../config/redact';
import { alertLogLevel, alertLogLine } from '../logging/alert-log';
import { inBackground } from '../logging/background';
import { allEndpoints, allGroups } from '../config/topology.types';
import type { Topology } from '../config/topology.types';
import { ALERT_STORE } from './alert-store';
import type { AlertStore } from './alert-store';
import { InjectAlertSettings } from './alert.settings';
import type { AlertSettings } from './alert.settings';
import { Alert, AlertAction, AlertAnnotation, AlertCondition, AlertEvent, AlertSeverity, AlertType, alertKey, COORDINATION_SUBJECT, isSilenced, ONE_SHOT_ALERT_TYPES } from './alert.types';
import { AlertWebhook } from './alert-webhook';

export interface AlertEvents {
  alert: [AlertEvent];
}

/** `raise` callers hold their conditions until `resolve`: no app instance withdraws them. */
const RAISED_BY_CALL = 'raise';

/**
 * Raises, de-duplicates and resolves alerts in the store (Redis, shared by every instance, when configured),
 * and announces each change once: an `alert` event on `events` and a POST to the webhook.
 */
@Injectable()
export class AlertService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(AlertService.name);
  /** This instance, as an owner of the conditions it sees. */
  private readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly webhook: AlertWebhook;
  readonly events = new EventEmitter<AlertEvents>();

  constructor(
    @Inject(ALERT_STORE) private readonly store: AlertStore,
    @InjectAlertSettings() settings: AlertSettings,
    @InjectTopology() private readonly topology: Topology,
  ) {
    this.webhook = new AlertWebhook(settings.webhookUrl, settings.webhookTimeoutMs, settings.webhookFormat);
  }

  /**
   * Raises an alert about an endpoint, a replication group (`subject`, its id or name) or the coordination
   * store (`COORDINATION_SUBJECT`). Failover events
   * (`failover_triggered`, `failover_completed`) are recorded in the history only; any other type is a
   * condition, active until `resolve(key)`, raised once however often it is called (a higher severity
   * escalates it).
   */
  async raise(type: AlertType, severity: AlertSeverity, subject: string, message: string, details: Record<string, unknown> = {}): Promise<Alert> {
    const condition: AlertCondition = { key: alertKey(type, subject), type, severity, ...this.subjectOf(subject), message: redactSecrets(message), details };
    const now = Date.now();
    if (ONE_SHOT_ALERT_TYPES.includes(type)) {
      const alert = { ...this.newAlert(condition, now), resolvedAt: new Date(now).toISOString() };
      await this.store.record(alert);
      this.announce('raised', alert);
      return alert;
    }
    return this.assert(condition, RAISED_BY_CALL, now);
  }

  /**
   * Makes the active alerts of `types` match what this instance sees: `desired` is asserted, the others
   * withdrawn; a condition another live instance still asserts (seen within `staleMs`) stays active.
   */
  async reconcile(desired: readonly AlertCondition[], types: readonly AlertType[], staleMs: number): Promise<void> {
    const now = Date.now();
    for (const condition of desired) await this.assert(condition, this.owner, now);
    const wanted = new Set(desired.map((c) => c.key));
    for (const alert of await this.store.active()) {
      if (!types.includes(alert.type) || wanted.has(alert.key)) continue;
      const resolved = await this.store.withdraw(alert.key, this.owner, now, staleMs);
      if (resolved) this.announce('resolved', resolved);
    }
  }

  /**
   * A stopping instance stops holding the conditions it asserted, so that once they clear the others (or
   * its successor) resolve them at once instead of waiting for its assertions to go stale.
   */
  async beforeApplicationShutdown(): Promise<void> {
    try {
      for (const alert of await this.store.active()) await this.store.disown(alert.key, this.owner);
    } catch (error) {
      this.logger.warn(`releasing alerts at shutdown: ${redactSecrets(String((error as Error)?.message ?? error))}`);
    }
  }

  /** Resolves a condition (`<type>:<subject>`) whoever raised it, saying why; null when it was not active. */
  async resolve(key: string, resolution?: string): Promise<Alert | null> {
    const resolved = await this.store.resolve(key, Date.now(), resolution && redactSecrets(resolution));
    if (resolved) this.announce('resolved', resolved);
    return resolved;
  }

  /** An operator has seen the active alert `id`: recorded on it and in the history (not posted to the webhook). */
  acknowledge(id: string, by: string): Promise<Alert> {
    const at = new Date().toISOString();
    return this.annotate(id, { acknowledged: { by, at } }, 'acknowledged', at);
  }

  /** Holds the webhook's notifications of the active alert `id` for `seconds`; its resolution is still posted. */
  silence(id: string, by: string, seconds: number, comment: string | null): Promise<Alert> {
    const now = Date.now();
    const at = new Date(now).toISOString();
    return this.annotate(id, { silenced: { by, at, until: new Date(now + seconds * 1000).toISOString(), comment } }, 'silenced', at);
  }

  active(): Promise<Alert[]> {
    return this.store.active();
  }

  history(limit: number): Promise<AlertEvent[]> {
    return this.store.history(limit);
  }

  private async annotate(id: string, annotation: AlertAnnotation, action: 'acknowledged' | 'silenced', at: string): Promise<Alert> {
    const alert = (await this.store.active()).find((a) => a.id === id);
    const annotated = alert && (await this.store.annotate(alert.key, id, annotation, action, at));
    if (!annotated) throw new NotFoundException(`No active alert "${id}" (resolved, or never raised): GET /api/database/alerts lists the active ones`);
    this.announce(action, annotated);
    return annotated;
  }

  private async assert(condition: AlertCondition, owner: string, now: number): Promise<Alert> {
    const { change, alert } = await this.store.assert(this.newAlert(condition, now), owner, now);
    if (change) this.announce(change, alert);
    return alert;
  }

  private newAlert(condition: AlertCondition, now: number): Alert {
    const at = new Date(now).toISOString();
    return { ...condition, id: randomUUID(), raisedAt: at, updatedAt: at, resolvedAt: null };
  }

  private subjectOf(subject: string): Pick<AlertCondition, 'endpointId' | 'group'> {
    if (subject === COORDINATION_SUBJECT) return { endpointId: null, group: null };
    const endpoint = allEndpoints(this.topology).find((e) => e.id === subject);
    if (endpoint) return { endpointId: endpoint.id, group: endpoint.group };
    if (allGroups(this.topology).some((g) => g.name === subject)) return { endpointId: null, group: subject };
    throw new Error(`alert subject "${subject}" is neither an endpoint id, a replication group nor "${COORDINATION_SUBJECT}"`);
  }

  /** Outside any request: an alert is about the system, whichever request happened to raise it. */
  private announce(action: AlertAction, alert: Alert): void {
    inBackground(() => {
      const event: AlertEvent = { action, at: alert.updatedAt, alert };
      this.logger[alertLogLevel(action, alert.severity)](alertLogLine(action, alert));
      try {
        this.events.emit('alert', event);
      } catch (error) {
        this.logger.error(`an alert listener failed: ${redactSecrets(String((error as Error)?.stack ?? error))}`);
      }
      // Operators' own actions are not news to the receiver; a silenced alert's changes wait, its resolution does not.
      if (action === 'acknowledged' || action === 'silenced') return;
      if (action !== 'resolved' && isSilenced(alert, Date.now())) return;
      this.webhook.notify(event);
    });
  }
}
