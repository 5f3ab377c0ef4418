import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';
import { redactSecrets } from '../config/redact';
import { RedisService } from '../redis/redis.service';
import { AlertService } from './alert.service';
import { alertKey, COORDINATION_SUBJECT } from './alert.types';
import { HeldAlertStore } from './held-alert.store';

const KEY = alertKey('coordination_unavailable', COORDINATION_SUBJECT);

/**
 * The critical "coordination unavailable" alert: raised the moment Redis is lost (held in this instance and
 * sent to the webhook at once, since the store is the thing that is down), resolved when Redis answers
 * again, and then every alert change held meanwhile is written to Redis.
 */
@Injectable()
export class CoordinationAlertService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(CoordinationAlertService.name);
  private readonly onUnavailable = () => void this.raise();
  private readonly onReady = () => void this.restored();

  constructor(
    private readonly redis: RedisService,
    private readonly alerts: AlertService,
    @Optional() @Inject(HeldAlertStore) private readonly held: HeldAlertStore | null,
  ) {}

  onModuleInit(): void {
    if (!this.redis.enabled) return;
    this.redis.events.on('unavailable', this.onUnavailable);
    this.redis.events.on('ready', this.onReady);
    if (this.redis.coordination === 'unavailable') void this.raise();
  }

  onApplicationShutdown(): void {
    this.redis.events.off('unavailable', this.onUnavailable);
    this.redis.events.off('ready', this.onReady);
  }

  private async raise(): Promise<void> {
    await this.guard('raising', () =>
      this.alerts.raise(
        'coordination_unavailable',
        'critical',
        COORDINATION_SUBJECT,
        'Coordination unavailable: Redis cannot be reached. This instance serves from its own view; automatic failover is withheld until Redis answers again',
      ),
    );
  }

  private async restored(): Promise<void> {
    await this.guard('resolving', () => this.alerts.resolve(KEY));
    await this.guard('storing held alerts', async () => {
      if (this.held && !(await this.held.flush())) this.logger.warn('held alerts not stored yet: Redis failed again; retried at the next alert change');
    });
  }

  private async guard(what: string, fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (error) {
      this.logger.warn(`coordination alert: ${what} failed: ${redactSecrets(String((error as Error)?.message ?? error))}`);
    }
  }
}
