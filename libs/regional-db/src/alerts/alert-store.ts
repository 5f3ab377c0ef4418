import type { Alert, AlertAnnotation, AlertEvent } from './alert.types';

export interface AssertResult {
  /** What changed: a new alert, a higher severity, or nothing (the condition was already active). */
  change: 'raised' | 'escalated' | null;
  alert: Alert;
}

/**
 * Active alerts, one per condition key, and a bounded history of their changes. An active condition is
 * held by its owners (app instances, or `raise` callers): it resolves when its last owner withdraws or when
 * the owners left have not re-asserted it within `staleMs` (an instance that died). Every operation is
 * atomic, so instances sharing a store raise and resolve each condition once.
 */
export interface AlertStore {
  /** `candidate` becomes the active alert for its key unless one is; a higher severity escalates it (never lowers). */
  assert(candidate: Alert, owner: string, now: number): Promise<AssertResult>;
  /** `owner` no longer sees the condition; returns the resolved alert when nobody else holds it. */
  withdraw(key: string, owner: string, now: number, staleMs: number): Promise<Alert | null>;
  /** `owner` stops holding the condition without judging it (an instance shutting down); the others decide. */
  disown(key: string, owner: string): Promise<void>;
  /** Resolves the condition whoever holds it; `resolution` says why (kept on the resolved alert). */
  resolve(key: string, now: number, resolution?: string): Promise<Alert | null>;
  /**
   * Sets an operator's acknowledgement or silence on the active alert of `key` if it is still alert `id` (not
   * resolved and raised again since), recording `action` in the history; null when it is not active.
   */
  annotate(key: string, id: string, annotation: AlertAnnotation, action: 'acknowledged' | 'silenced', at: string): Promise<Alert | null>;
  /** A one-shot alert (an event, never active): history only. */
  record(alert: Alert): Promise<void>;
  active(): Promise<Alert[]>;
  /** Newest first. */
  history(limit: number): Promise<AlertEvent[]>;
}

export const ALERT_STORE = Symbol('ALERT_STORE');
