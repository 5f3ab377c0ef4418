import type { AlertStore, AssertResult } from './alert-store';
import type { Alert, AlertAnnotation, AlertEvent } from './alert.types';
import { MemoryAlertStore } from './memory-alert.store';

/** A change made while the shared store was unreachable, to be applied to it later in the same order. */
type HeldChange = (store: AlertStore) => Promise<unknown>;

/**
 * The shared store (Redis) with a local fallback: while it fails, changes are made in memory ("held"), so
 * alerts are still raised, announced and shown from this instance's own view; `flush` applies the held
 * changes to the shared store, in order, once it answers again. While changes are held every operation
 * goes to memory, so a change made after Redis returned cannot overtake an older held one.
 */
export class HeldAlertStore implements AlertStore {
  private held: MemoryAlertStore;
  private readonly pending: HeldChange[] = [];
  private flushing: Promise<boolean> | null = null;

  constructor(
    private readonly shared: AlertStore,
    private readonly historyLimit: number,
  ) {
    this.held = new MemoryAlertStore(historyLimit);
  }

  /** Whether some changes live only in this instance, not in the shared store yet. */
  get holding(): boolean {
    return this.pending.length > 0;
  }

  assert(candidate: Alert, owner: string, now: number): Promise<AssertResult> {
    return this.change((s) => s.assert(candidate, owner, now));
  }

  withdraw(key: string, owner: string, now: number, staleMs: number): Promise<Alert | null> {
    return this.change((s) => s.withdraw(key, owner, now, staleMs));
  }

  disown(key: string, owner: string): Promise<void> {
    return this.change((s) => s.disown(key, owner));
  }

  resolve(key: string, now: number, resolution?: string): Promise<Alert | null> {
    return this.change((s) => s.resolve(key, now, resolution));
  }

  annotate(key: string, id: string, annotation: AlertAnnotation, action: 'acknowledged' | 'silenced', at: string): Promise<Alert | null> {
    return this.change((s) => s.annotate(key, id, annotation, action, at));
  }

  record(alert: Alert): Promise<void> {
    return this.change((s) => s.record(alert));
  }

  active(): Promise<Alert[]> {
    return this.read((s) => s.active());
  }

  history(limit: number): Promise<AlertEvent[]> {
    return this.read((s) => s.history(limit));
  }

  /**
   * Applies the held changes to the shared store, oldest first; true when none is left. A failure stops
   * there (Redis went away again): the rest stays held for the next flush.
   */
  flush(): Promise<boolean> {
    this.flushing ??= (async () => {
      try {
        while (this.pending.length) {
          await this.pending[0](this.shared);
          this.pending.shift();
        }
        this.held = new MemoryAlertStore(this.historyLimit);
        return true;
      } catch {
        return false;
      } finally {
        this.flushing = null;
      }
    })();
    return this.flushing;
  }

  private async change<T>(apply: (store: AlertStore) => Promise<T>): Promise<T> {
    if (!this.pending.length) {
      try {
        return await apply(this.shared);
      } catch {
        // Unreachable: held below.
      }
    }
    this.pending.push(apply);
    const result = await apply(this.held);
    void this.flush();
    return result;
  }

  private async read<T>(query: (store: AlertStore) => Promise<T>): Promise<T> {
    // Held changes are tried again at every use (each attempt fails at once while Redis is down).
    if (this.pending.length) await this.flush();
    if (!this.pending.length) {
      try {
        return await query(this.shared);
      } catch {
        // Unreachable: this instance's own view.
      }
    }
    return query(this.held);
  }
}
