import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { redactSecrets } from '../config/redact';
import { RedisService } from '../redis/redis.service';
import { GroupState, TopologyStateService } from './topology-state.service';


/** Stores a group's state only when its epoch is newer than the stored one, then announces it. */
const PUBLISH_IF_NEWER = `
local stored = redis.call('HGET', KEYS[1], 'epoch')
if stored and tonumber(stored) >= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'epoch', ARGV[1], 'state', ARGV[2])
redis.call('PUBLISH', KEYS[2], ARGV[2])
return 1`;

/**
 * Shares the topology state (current primary and epoch per group) between app instances through Redis:
 * a change is stored only if its epoch is newer (compare-and-set), and every instance applies what is
 * published on the channel, so all route to the same primary within a pub/sub round trip.
 */
@Injectable()
export class SharedTopologyState implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(SharedTopologyState.name);
  private subscriber: Redis | null = null;
  private readonly reload = () => this.load().catch((error: Error) => this.logger.warn(`loading shared topology state: ${redactSecrets(error.message)}`));

  constructor(
    private readonly redis: RedisService,
    private readonly state: TopologyStateService,
  ) {}

  get enabled(): boolean {
    return this.redis.enabled;
  }

  async onModuleInit(): Promise<void> {
    if (!this.redis.client) return;
    await this.redis.ready();
    this.subscriber = this.redis.duplicate();
    this.subscriber.on('message', (_channel: string, message: string) => this.apply(message));
    const subscribed = this.subscriber.subscribe(this.channel()).catch((error: Error) => this.logger.warn(`subscribe: ${redactSecrets(error.message)}`));
    // A Redis that is down at start must not hold the start-up: the subscription is made when it answers.
    if (this.redis.coordination === 'available') await subscribed;
    // Decisions stored while this instance could not reach Redis (or across a Sentinel failover) are read back.
    this.redis.events.on('ready', this.reload);
    await this.reload();
  }

  async onApplicationShutdown(): Promise<void> {
    // Only over a live connection: the subscriber queues commands while offline, and would wait forever.
    if (this.subscriber?.status === 'ready') await this.subscriber.unsubscribe().catch(() => undefined);
  }

  /** Applies every stored group state (or only `group`'s) newer than what this instance knows. */
  async load(group?: string): Promise<void> {
    const client = this.redis.client;
    if (!client) return;
    for (const name of group ? [group] : this.state.all().map((g) => g.group)) {
      const stored = await client.hget(this.key(name), 'state');
      if (stored) this.apply(stored);
    }
  }

  /** The stored state of a group, or null (nothing stored, or Redis not configured). Throws when unreachable. */
  async read(group: string): Promise<GroupState | null> {
    const client = this.redis.client;
    if (!client) return null;
    const stored = await client.hget(this.key(group), 'state');
    return stored ? (JSON.parse(stored) as GroupState) : null;
  }

  /** Publishes this instance's state of `group`; false when another instance already stored a newer epoch. */
  async publish(group: string): Promise<boolean> {
    const client = this.redis.client;
    if (!client) return true;
    const current = this.state.state(group);
    const stored = await client.eval(PUBLISH_IF_NEWER, 2, this.key(group), this.channel(), current.epoch, JSON.stringify(current));
    if (stored === 1 && !(await this.redis.replicatedWrites())) {
      this.logger.warn(`${group}: epoch ${current.epoch} stored on the Redis primary, not yet on a replica`);
    }
    return stored === 1;
  }

  private apply(message: string): void {
    try {
      const s = JSON.parse(message) as GroupState;
      this.state.setPrimary(s.group, s.primaryId, s.epoch, s.fenced);
    } catch (error) {
      this.logger.warn(`ignoring a malformed topology message: ${(error as Error).message}`);
    }
  }

  private key(group: string): string {
    return this.redis.key('topology', group);
  }

  private channel(): string {
    return this.redis.key('topology-changes');
  }
}
