import { Injectable, Logger } from '@nestjs/common';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { redactSecrets } from '../config/redact';
import { RedisService } from '../redis/redis.service';
import { FailoverRecord } from './failover-record';

const KEEP = 1_000;

/**
 * Failover history that survives restarts: a capped Redis list shared by every instance, or a JSON-lines
 * file (`FAILOVER_HISTORY_FILE`) for a single instance without Redis. A failover often happens while Redis
 * is down too: its record is kept here and written as soon as Redis is back, and listed meanwhile.
 */
@Injectable()
export class FailoverHistory {
  private readonly logger = new Logger(FailoverHistory.name);
  private readonly file = resolve(process.env.FAILOVER_HISTORY_FILE ?? '.local/failover-history.jsonl');
  /** Oldest first: records Redis has not taken yet. */
  private pending: FailoverRecord[] = [];
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly redis: RedisService) {
    redis.events.on('ready', () => void this.flush());
  }

  async record(entry: FailoverRecord): Promise<void> {
    if (this.redis.client) {
      this.pending.push(entry);
      return this.flush();
    }
    try {
      await mkdir(dirname(this.file), { recursive: true });
      await appendFile(this.file, `${JSON.stringify(entry)}\n`);
    } catch (error) {
      this.logger.error(`failover ${entry.id} not recorded: ${redactSecrets((error as Error).message)}`);
    }
  }

  /** Newest first. While Redis is unreachable, the records this instance still holds. */
  async list(limit: number): Promise<FailoverRecord[]> {
    if (this.redis.client) {
      const held = [...this.pending].reverse();
      const rows = await this.redis.client.lrange(this.redis.key('failover-history'), 0, limit - 1).catch(() => []);
      const stored = rows.map((r) => JSON.parse(r) as FailoverRecord).filter((r) => !held.some((h) => h.id === r.id));
      return [...held, ...stored].slice(0, limit);
    }
    const text = await readFile(this.file, 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter(Boolean)
      .slice(-limit)
      .reverse()
      .map((line) => JSON.parse(line) as FailoverRecord);
  }

  /** One write at a time, so a record is never pushed twice. */
  private flush(): Promise<void> {
    this.writing = this.writing.then(() => this.write());
    return this.writing;
  }

  private async write(): Promise<void> {
    const batch = this.pending;
    if (!batch.length || !this.redis.client) return;
    const key = this.redis.key('failover-history');
    try {
      const transaction = this.redis.client.multi();
      for (const entry of batch) transaction.lpush(key, JSON.stringify(entry));
      await transaction.ltrim(key, 0, KEEP - 1).exec();
      this.pending = this.pending.filter((entry) => !batch.includes(entry));
    } catch (error) {
      this.logger.warn(`${batch.length} failover record(s) kept until Redis is back: ${redactSecrets((error as Error).message)}`);
    }
  }
}
