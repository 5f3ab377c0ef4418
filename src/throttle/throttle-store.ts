/** A count in a fixed window: how many so far, and how long until the window ends. */
export interface WindowCount {
  count: number;
  ttlMs: number;
}

/** Where throttling state lives: Redis (shared by every instance) or this process (when Redis is down). */
export interface ThrottleStore {
  /** One more in `key`'s window (a new window of `windowMs` when none is running). */
  increment(key: string, windowMs: number): Promise<WindowCount>;
  /** Marks `key` for `ms` (a hold). */
  set(key: string, ms: number): Promise<void>;
  /** Milliseconds `key` has left, 0 when it has none. */
  remaining(key: string): Promise<number>;
  remove(...keys: string[]): Promise<void>;
}
