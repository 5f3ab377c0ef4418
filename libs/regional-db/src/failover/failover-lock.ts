import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { RedisService } from '../redis/redis.service';

/** Deletes the lock only if this holder still owns it (it may have expired and been taken since). */
const RELEASE_IF_OWNER = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

export class CoordinationUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`the coordination store (Redis) is unreachable: ${cause instanceof Error ? cause.message : cause}`);
    this.name = 'CoordinationUnavailableError';
  }
}

export interface FailoverLease {
  release(): Promise<void>;
}

/**
 * One failover per group at a time, across every app instance sharing Redis (an expiring lock, so a crashed
 * holder cannot block failover forever), or within this process when Redis is not configured.
 */
@Injectable()
export class FailoverLock {
  private readonly local = new Set<string>();
  readonly instanceId = randomUUID();

  constructor(private readonly redis: RedisService) {}

  /** A lease, or null when someone else holds the lock. Throws CoordinationUnavailableError if Redis is down. */
  async acquire(group: string, ttlMs: number): Promise<FailoverLease | null> {
    if (this.local.has(group)) return null;
    const client = this.redis.client;
    const token = `${this.instanceId}:${randomUUID()}`;
    if (client) {
      const key = this.redis.key('failover-lock', group);
      let acquired: string | null;
      try {
        acquired = await client.set(key, token, 'PX', ttlMs, 'NX');
      } catch (error) {
        throw new CoordinationUnavailableError(error);
      }
      if (acquired !== 'OK') return null;
      // Under Sentinel the lock must reach a replica before anyone promotes: a Redis failover right after
      // taking it would otherwise hand it to a second instance.
      await this.redis.replicatedWrites();
      this.local.add(group);
      return {
        release: async () => {
          this.local.delete(group);
          await client.eval(RELEASE_IF_OWNER, 1, key, token).catch(() => undefined);
        },
      };
    }
    this.local.add(group);
    return { release: async () => void this.local.delete(group) };
  }

  isHeldLocally(group: string): boolean {
    return this.local.has(group);
  }
}
