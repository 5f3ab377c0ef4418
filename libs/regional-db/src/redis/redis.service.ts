import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';
import { redactSecrets } from '../config/redact';
import { connectionRemedy } from './connection-watchdog';
import { JudgedTimeoutRedis } from './judged-timeout-redis';
import { FAIL_FAST, type RedisSettings, type RedisTarget, sentinelOptions } from './redis.settings';

/** Whether this instance can coordinate with the others right now (`disabled`: no Redis configured). */
export type Coordination = 'available' | 'unavailable' | 'disabled';

export interface RedisEvents {
  /** Connected and answering again (also the first time): work withheld for lack of coordination can go on. */
  ready: [];
  /** The connection was lost (or never made): callers fall back to this instance's own view. */
  unavailable: [];
}

/**
 * The shared Redis connection: one server (`REDIS_URL`), the primary that Sentinel names (`REDIS_SENTINELS`,
 * `REDIS_SENTINEL_NAME`), or null (a single instance decides alone). Commands fail fast while it is down.
 * Keys are prefixed with `REDIS_PREFIX` so several deployments (or test runs) can share one server.
 */
@Injectable()
export class RedisService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RedisService.name);
  readonly client: Redis | null;
  readonly prefix: string;
  /** Redis runs replicated under Sentinel: a write can be made to wait for a replica's acknowledgement. */
  readonly replicated: boolean;
  readonly events = new EventEmitter<RedisEvents>();
  private readonly extra: Redis[] = [];
  private connecting: Promise<void> | undefined;
  private state: 'connecting' | 'up' | 'down' = 'connecting';
  private notReadySince: number | undefined;
  private watchdog: NodeJS.Timeout | undefined;

  constructor({ target, prefix }: RedisSettings) {
    this.prefix = prefix;
    this.replicated = target.kind === 'sentinel';
    this.client = this.connect(target);
  }

  /** Connected before any module uses it: commands fail fast when Redis is down, not while it is connecting. */
  async onModuleInit(): Promise<void> {
    await this.ready();
  }

  /**
   * Resolves once the first connection attempt is over (connected or not). The connection (and its watchdog)
   * starts here, not in the constructor: nothing connects before every provider (and its settings) has been built.
   */
  ready(): Promise<void> {
    if (this.connecting) return this.connecting;
    if (!this.client) return (this.connecting = Promise.resolve());
    this.watchdog = setInterval(() => this.watch(), 1_000).unref();
    return (this.connecting = this.client.connect().catch((error: Error) => this.unavailable(error)));
  }

  /**
   * Under Sentinel, waits (briefly) until a replica has this connection's writes so far: replication is
   * asynchronous, and a Sentinel failover right after a write must not lose it. True without replication;
   * false when no replica acknowledged in time (the write still stands on the primary).
   */
  async replicatedWrites(timeoutMs = 250): Promise<boolean> {
    if (!this.client || !this.replicated) return true;
    return (await this.client.wait(1, timeoutMs).catch(() => 0)) > 0;
  }

  get enabled(): boolean {
    return this.client !== null;
  }

  get coordination(): Coordination {
    if (!this.client) return 'disabled';
    return this.state === 'up' ? 'available' : 'unavailable';
  }

  key(...parts: string[]): string {
    return this.prefix + parts.join(':');
  }

  /** A second connection (pub/sub subscribers need their own), closed with the module. */
  duplicate(): Redis {
    if (!this.client) throw new Error('Redis is not configured (REDIS_URL or REDIS_SENTINELS)');
    // A subscriber's SUBSCRIBE may be sent before it has connected: let it wait for the connection.
    const connection = this.client.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null, commandTimeout: undefined, lazyConnect: false });
    connection.on('error', (error) => this.warn(error));
    this.extra.push(connection);
    return connection;
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.watchdog);
    this.events.removeAllListeners();
    // Closing on purpose: no outage to announce when the connection goes.
    this.state = 'down';
    // QUIT only where there is a connection to close politely; otherwise stop reconnecting at once.
    await Promise.all([this.client, ...this.extra].map((c) => (c?.status === 'ready' ? c.quit().catch(() => c.disconnect()) : c?.disconnect())));
  }

  private connect(target: RedisTarget): Redis | null {
    if (target.kind === 'none') return null;
    const client = new JudgedTimeoutRedis(target.kind === 'url' ? target.url : undefined, target.kind === 'url' ? FAIL_FAST : sentinelOptions(target));
    client.on('error', (error) => this.warn(error));
    client.on('ready', () => {
      if (this.state === 'down') this.logger.log('redis: coordination available again');
      this.state = 'up';
      this.events.emit('ready');
    });
    client.on('close', () => this.unavailable());
    return client;
  }

  /** Brings back a connection that ioredis left ended or stuck (see `connectionRemedy`). */
  private watch(): void {
    const client = this.client!;
    if (client.status === 'ready') {
      this.notReadySince = undefined;
      return;
    }
    this.notReadySince ??= Date.now();
    const remedy = connectionRemedy(client.status, Date.now() - this.notReadySince);
    if (remedy === 'wait') return;
    this.logger.warn(`redis: connection ${client.status === 'end' ? 'ended' : 'stuck while connecting'}; connecting again`);
    this.notReadySince = Date.now();
    if (remedy === 'restart') client.disconnect(true);
    else client.connect().catch((error: Error) => this.unavailable(error));
  }

  /** During an outage every reconnection attempt fails: its one announcement says enough. */
  private warn(error: Error): void {
    if (this.state !== 'down') this.logger.warn(`redis: ${redactSecrets(error.message)}`);
  }

  /** Announced once per outage, however many reconnection attempts fail. */
  private unavailable(error?: Error): void {
    if (error) this.warn(error);
    if (this.state === 'down') return;
    this.state = 'down';
    this.logger.warn("redis: coordination unavailable; serving from this instance's own view");
    this.events.emit('unavailable');
  }
}
