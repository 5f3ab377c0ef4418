import { Injectable, Logger } from '@nestjs/common';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { redactSecrets } from '../config/redact';
import { RedisService } from '../redis/redis.service';
import { FailoverRecord } from './failover-record';
import { type FailoverSettings, InjectFailoverSettings } from './failover.settings';

const KEEP = 1_000;

/** One page of the history, newest first, and how many records are kept in all. */
export interface FailoverHistoryPage {
  failovers: FailoverRecord[];
  total: number;
}

/**
 * Failover history that survives restarts: a capped Redis list shared by every instance, or a JSON-lines
 * file (`failoverHistoryFile`) for a single instance without Redis. A failover often happens while Redis
 * is down too: its record is kept here and written as soon as Redis is back, and listed meanwhile.
 */
@Injectable()
export class FailoverHistory {
  private readonly logger = new Logger(FailoverHistory.name);
  private readonly file: string;
  /** Oldest first: records Redis has not taken yet. */
  private pending: FailoverRecord[] = [];
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly redis: RedisService,
    @InjectFailoverSettings() settings: FailoverSettings,
  ) {
    this.file = settings.historyFile;
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
    return (await this.page(limit, 0)).failovers;
  }

  /** `limit` records after the `offset` newest ones. */
  async page(limit: number, offset: number): Promise<FailoverHistoryPage> {
    if (this.redis.client) {
      // Held records (Redis was down when they were made) come first: they are the newest.
      const held = [...this.pending].reverse();
      const key = this.redis.key('failover-history');
      const [rows, stored] = await Promise.all([this.redis.client.lrange(key, 0, offset + limit - 1), this.redis.client.llen(key)]).catch(
        (): [string[], number] => [[], 0],
      );
      const fetched = rows.map((r) => JSON.parse(r) as FailoverRecord);
      const unheld = fetched.filter((r) => !held.some((h) => h.id === r.id));
      const total = held.length + stored - (fetched.length - unheld.length);
      return { failovers: [...held, ...unheld].slice(offset, offset + limit), total };
    }
    const text = await readFile(this.file, 'utf8').catch(() => '');
    const newestFirst = text.split('\n').filter(Boolean).reverse();
    return { failovers: newestFirst.slice(offset, offset + limit).map((line) => JSON.parse(line) as FailoverRecord), total: newestFirst.length };
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
