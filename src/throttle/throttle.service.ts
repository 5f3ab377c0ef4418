import { Inject, Injectable, Logger } from '@nestjs/common';
import { TooManyRequestsError } from '../common/too-many-requests.error';
import { redactSecrets, RedisService } from '@regional-db/nestjs';
import { MemoryThrottleStore } from './memory-throttle-store';
import { RedisThrottleStore } from './redis-throttle-store';
import type { ThrottleStore } from './throttle-store';
import { AddressLimited, loginHoldMs, THROTTLE_SETTINGS, type ThrottleSettings } from './throttle.settings';

/**
 * Request limits shared by every instance through Redis (keys under `REDIS_PREFIX`): per client address for
 * login, registration and geo writes, and a growing, capped hold on a handle after repeated failed logins.
 * While Redis is unreachable each instance counts on its own: degraded, never unlimited.
 */
@Injectable()
export class Throttle {
  private readonly logger = new Logger(Throttle.name);
  private readonly memory = new MemoryThrottleStore();
  private readonly shared: RedisThrottleStore | null;

  constructor(
    private readonly redis: RedisService,
    @Inject(THROTTLE_SETTINGS) readonly settings: ThrottleSettings,
  ) {
    this.shared = redis.client ? new RedisThrottleStore(redis.client) : null;
  }

  /** One more `route` request from `address`; a 429 past the route's limit in the window. */
  async hitAddress(route: AddressLimited, address: string): Promise<void> {
    const limit = this.settings.perAddress[route];
    const { count, ttlMs } = await this.use((store) => store.increment(this.redis.key('throttle', route, address), this.settings.windowMs));
    if (count > limit) throw new TooManyRequestsError(`Too many ${route} requests from this address (limit ${limit} per ${this.settings.windowMs / 1000} s)`, ttlMs);
  }

  /** A 429 while the handle is held after failed logins (whoever asks, the right password included). */
  async assertLoginAllowed(handle: string): Promise<void> {
    const heldMs = await this.use((store) => store.remaining(this.holdKey(handle)));
    if (heldMs > 0) throw new TooManyRequestsError('Too many failed logins for this handle', heldMs);
  }

  /** Counts a failed login; from the limit on the handle is held, longer with each failure (up to the cap). */
  async loginFailed(handle: string): Promise<void> {
    const { login } = this.settings;
    const { count } = await this.use((store) => store.increment(this.failuresKey(handle), login.failureWindowMs));
    const holdMs = loginHoldMs(count, login);
    if (holdMs > 0) await this.use((store) => store.set(this.holdKey(handle), holdMs));
  }

  /** The owner got in: past failures no longer count against the handle. */
  async loginSucceeded(handle: string): Promise<void> {
    await this.use((store) => store.remove(this.failuresKey(handle), this.holdKey(handle)));
  }

  private failuresKey(handle: string): string {
    return this.redis.key('throttle', 'login-failures', handle);
  }

  private holdKey(handle: string): string {
    return this.redis.key('throttle', 'login-hold', handle);
  }

  private async use<T>(operation: (store: ThrottleStore) => Promise<T>): Promise<T> {
    if (this.shared && this.redis.coordination === 'available') {
      try {
        return await operation(this.shared);
      } catch (error) {
        this.logger.warn(`throttling falls back to this instance's own counts: ${redactSecrets(String((error as Error)?.message ?? error))}`);
      }
    }
    return operation(this.memory);
  }
}
