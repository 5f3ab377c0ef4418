import type { AlertStore, AssertResult } from './alert-store';
import { Alert, AlertAnnotation, AlertEvent, severityRank } from './alert.types';

/** The store of a single instance (no `REDIS_URL`): in process, history bounded to `historyLimit`. */
export class MemoryAlertStore implements AlertStore {
  private readonly alerts = new Map<string, Alert>();
  private readonly owners = new Map<string, Map<string, number>>();
  private readonly events: AlertEvent[] = [];

  constructor(private readonly historyLimit: number) {}

  async assert(candidate: Alert, owner: string, now: number): Promise<AssertResult> {
    const owners = this.owners.get(candidate.key) ?? new Map<string, number>();
    owners.set(owner, now);
    this.owners.set(candidate.key, owners);
    const current = this.alerts.get(candidate.key);
    if (!current) {
      this.alerts.set(candidate.key, candidate);
      this.push({ action: 'raised', at: candidate.raisedAt, alert: candidate });
      return { change: 'raised', alert: candidate };
    }
    if (severityRank(candidate.severity) <= severityRank(current.severity)) return { change: null, alert: current };
    const { severity, message, details, updatedAt } = candidate;
    const escalated = { ...current, severity, message, details, updatedAt, acknowledged: null };
    this.alerts.set(candidate.key, escalated);
    this.push({ action: 'escalated', at: updatedAt, alert: escalated });
    return { change: 'escalated', alert: escalated };
  }

  async withdraw(key: string, owner: string, now: number, staleMs: number): Promise<Alert | null> {
    const owners = this.owners.get(key);
    owners?.delete(owner);
    if (owners && [...owners.values()].some((at) => now - at < staleMs)) return null;
    return this.resolve(key, now);
  }

  async disown(key: string, owner: string): Promise<void> {
    this.owners.get(key)?.delete(owner);
  }

  async resolve(key: string, now: number, resolution?: string): Promise<Alert | null> {
    this.owners.delete(key);
    const current = this.alerts.get(key);
    if (!current) return null;
    this.alerts.delete(key);
    const at = new Date(now).toISOString();
    const resolved: Alert = { ...current, resolvedAt: at, updatedAt: at, ...(resolution ? { resolution } : {}) };
    this.push({ action: 'resolved', at, alert: resolved });
    return resolved;
  }

  async annotate(key: string, id: string, annotation: AlertAnnotation, action: 'acknowledged' | 'silenced', at: string): Promise<Alert | null> {
    const current = this.alerts.get(key);
    if (current?.id !== id) return null;
    const annotated = { ...current, ...annotation, updatedAt: at };
    this.alerts.set(key, annotated);
    this.push({ action, at, alert: annotated });
    return annotated;
  }

  async record(alert: Alert): Promise<void> {
    this.push({ action: 'raised', at: alert.raisedAt, alert });
  }

  async active(): Promise<Alert[]> {
    return [...this.alerts.values()];
  }

  async history(limit: number): Promise<AlertEvent[]> {
    return this.events.slice(-limit).reverse();
  }

  private push(event: AlertEvent): void {
    this.events.push(event);
    if (this.events.length > this.historyLimit) this.events.splice(0, this.events.length - this.historyLimit);
  }
}
