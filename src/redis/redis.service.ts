import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Redis } from 'ioredis';
import { redactSecrets } from '../config/redact';

/**
 * The shared Redis connection when `REDIS_URL` is set (null otherwise: a single instance decides alone).
 * Keys are prefixed with `REDIS_PREFIX` so several deployments (or test runs) can share one server.
 */
@Injectable()
export class RedisService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RedisService.name);
  readonly client: Redis | null;
  readonly prefix: string;
  private readonly extra: Redis[] = [];
  private readonly connecting: Promise<void>;

  constructor() {
    const url = process.env.REDIS_URL?.trim();
    this.prefix = process.env.REDIS_PREFIX?.trim() || 'rdr:';
    this.client = url ? this.connect(url) : null;
    this.connecting = this.client
      ? this.client.connect().catch((error: Error) => this.logger.warn(`redis: ${redactSecrets(error.message)}`))
      : Promise.resolve();
  }

  /** Connected before any module uses it: commands fail fast when Redis is down, not while it is connecting. */
  async onModuleInit(): Promise<void> {
    await this.ready();
  }

  /** Resolves once the first connection attempt is over (connected or not). */
  ready(): Promise<void> {
    return this.connecting;
  }

  get enabled(): boolean {
    return this.client !== null;
  }

  key(...parts: string[]): string {
    return this.prefix + parts.join(':');
  }

  /** A second connection (pub/sub subscribers need their own), closed with the module. */
  duplicate(): Redis {
    if (!this.client) throw new Error('Redis is not configured (REDIS_URL)');
    // A subscriber's SUBSCRIBE may be sent before it has connected: let it queue.
    const connection = this.client.duplicate({ enableOfflineQueue: true, lazyConnect: false });
    connection.on('error', (error) => this.logger.warn(`redis: ${redactSecrets(error.message)}`));
    this.extra.push(connection);
    return connection;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.client, ...this.extra].map((c) => c?.quit().catch(() => c.disconnect())));
  }

  private connect(url: string): Redis {
    // Fail commands fast while Redis is down instead of queueing them: callers decide what waiting means.
    const client = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000, lazyConnect: true });
    client.on('error', (error) => this.logger.warn(`redis: ${redactSecrets(error.message)}`));
    return client;
  }
}
