import type { Redis } from 'ioredis';
import type { ThrottleStore, WindowCount } from './throttle-store';

// One round trip, atomic across instances: the first hit of a window sets its end; a key that somehow lost its
// expiry gets one again rather than counting forever.
const INCREMENT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`;

/** Counts and holds in Redis, so every instance sees the same ones. Keys come prefixed by the caller. */
export class RedisThrottleStore implements ThrottleStore {
  constructor(private readonly client: Redis) {}

  async increment(key: string, windowMs: number): Promise<WindowCount> {
    const [count, ttlMs] = (await this.client.eval(INCREMENT, 1, key, windowMs)) as [number, number];
    return { count, ttlMs };
  }

  async set(key: string, ms: number): Promise<void> {
    await this.client.set(key, '1', 'PX', ms);
  }

  async remaining(key: string): Promise<number> {
    return Math.max(0, await this.client.pttl(key));
  }

  async remove(...keys: string[]): Promise<void> {
    await this.client.del(...keys);
  }
}
