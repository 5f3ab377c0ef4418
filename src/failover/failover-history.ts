import { Injectable, Logger } from '@nestjs/common';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { redactSecrets } from '../config/redact';
import { RedisService } from '../redis/redis.service';
import { FailoverRecord } from './failover-record';

const KEEP = 1_000;

/**
 * Where a single instance without Redis keeps its history: `FAILOVER_HISTORY_FILE`, else beside the topology
 * file (a local topology's folder, which `topology down` removes with it), else `.local/`. History belongs
 * to the servers it happened to: a new topology must not inherit an old one's failovers.
 */
export function failoverHistoryFile(env: NodeJS.ProcessEnv): string {
  if (env.FAILOVER_HISTORY_FILE?.trim()) return resolve(env.FAILOVER_HISTORY_FILE);
  if (env.TOPOLOGY_FILE?.trim()) return join(dirname(resolve(env.TOPOLOGY_FILE)), 'failover-history.jsonl');
  return resolve('.local/failover-history.jsonl');
}

/** One page of the history, newest first, and how many records are kept in all. */
export interface FailoverHistoryPage {
  failovers: FailoverRecord[];
  total: number;
}

/**
 * Failover history that survives restarts: a capped Redis list shared by every instance, or a JSON-lines
 * file (failoverHistoryFile) for a single instance without Redis.
 */
@Injectable()
export class FailoverHistory {
  private readonly logger = new Logger(FailoverHistory.name);
  private readonly file = failoverHistoryFile(process.env);

  constructor(private readonly redis: RedisService) {}

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
    return (await this.page(limit, 0)).failovers;
  }

  /** `limit` records after the `offset` newest ones. */
  async page(limit: number, offset: number): Promise<FailoverHistoryPage> {
    if (this.redis.client) {
      const key = this.redis.key('failover-history');
      const [rows, total] = await Promise.all([this.redis.client.lrange(key, offset, offset + limit - 1), this.redis.client.llen(key)]);
      return { failovers: rows.map((r) => JSON.parse(r) as FailoverRecord), total };
    }
    const text = await readFile(this.file, 'utf8').catch(() => '');
    const newestFirst = text.split('\n').filter(Boolean).reverse();
    return { failovers: newestFirst.slice(offset, offset + limit).map((line) => JSON.parse(line) as FailoverRecord), total: newestFirst.length };
  }
}
