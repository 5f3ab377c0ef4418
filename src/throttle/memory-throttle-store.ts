import type { ThrottleStore, WindowCount } from './throttle-store';

/**
 * This instance's own counts, used only while Redis is not configured or not answering: limits then hold per
 * instance, not shared, which is still a limit.
 */
export class MemoryThrottleStore implements ThrottleStore {
  private readonly entries = new Map<string, { count: number; endsAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async increment(key: string, windowMs: number): Promise<WindowCount> {
    const now = this.now();
    if (this.entries.size > 100_000) this.forgetEnded(now);
    const running = this.live(key, now);
    const entry = running ? { count: running.count + 1, endsAt: running.endsAt } : { count: 1, endsAt: now + windowMs };
    this.entries.set(key, entry);
    return { count: entry.count, ttlMs: entry.endsAt - now };
  }

  async set(key: string, ms: number): Promise<void> {
    this.entries.set(key, { count: 1, endsAt: this.now() + ms });
  }

  async remaining(key: string): Promise<number> {
    const now = this.now();
    const entry = this.live(key, now);
    return entry ? entry.endsAt - now : 0;
  }

  async remove(...keys: string[]): Promise<void> {
    for (const key of keys) this.entries.delete(key);
  }

  private live(key: string, now: number): { count: number; endsAt: number } | undefined {
    const entry = this.entries.get(key);
    return entry && entry.endsAt > now ? entry : undefined;
  }

  private forgetEnded(now: number): void {
    for (const [key, entry] of this.entries) if (entry.endsAt <= now) this.entries.delete(key);
  }
}
