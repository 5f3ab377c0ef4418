import { Injectable, Logger } from '@nestjs/common';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { redactSecrets } from '../config/redact';
import { RedisService } from '../redis/redis.service';
import { FailoverRecord } from './failover-record';
import { type FailoverSettings, InjectFailoverSettings } from './failover.settings';

const KEEP = 1_000;

/**
 * Failover history that survives restarts: a capped Redis list shared by every instance, or a JSON-lines
 * file (`FAILOVER_HISTORY_FILE`) for a single instance without Redis.
 */
@Injectable()
export class FailoverHistory {
  private readonly logger = new Logger(FailoverHistory.name);
  private readonly file: string;

  constructor(
    private readonly redis: RedisService,
    @InjectFailoverSettings() settings: FailoverSettings,
  ) {
    this.file = resolve(settings.historyFile);
  }

  async record(entry: FailoverRecord): Promise<void> {
    try {
      if (this.redis.client) {
        const key = this.redis.key('failover-history');
        await this.redis.client.multi().lpush(key, JSON.stringify(entry)).ltrim(key, 0, KEEP - 1).exec();
      } else {
        await mkdir(dirname(this.file), { recursive: true });
        await appendFile(this.file, `${JSON.stringify(entry)}\n`);
      }
    } catch (error) {
      this.logger.error(`failover ${entry.id} not recorded: ${redactSecrets((error as Error).message)}`);
    }
  }

  /** Newest first. */
  async list(limit: number): Promise<FailoverRecord[]> {
    if (this.redis.client) {
      const rows = await this.redis.client.lrange(this.redis.key('failover-history'), 0, limit - 1);
      return rows.map((r) => JSON.parse(r) as FailoverRecord);
    }
    const text = await readFile(this.file, 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter(Boolean)
      .slice(-limit)
      .reverse()
      .map((line) => JSON.parse(line) as FailoverRecord);
  }
}
