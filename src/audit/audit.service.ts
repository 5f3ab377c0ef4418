import { Injectable, Logger } from '@nestjs/common';
import { maskSecrets, maskSecretsDeep } from '../logging/secret-masking';
import { RedisService } from '@regional-db/nestjs';
import { AuditEntry, AuditRecordInput } from './audit-entry';

/** Entries kept: exactly in memory, approximately (XADD MAXLEN ~) in the Redis stream. */
export const AUDIT_CAPACITY = 10_000;

/**
 * The audit log: one structured log line per entry, and a Redis stream (durable, shared by every instance)
 * when Redis is configured, otherwise a bounded list in this process. While Redis is unreachable entries are
 * kept in that list too, and reading shows them: this instance's own view instead of an error.
 */
@Injectable()
export class AuditService {
  private readonly logger = new Logger('Audit');
  private readonly memory: AuditEntry[] = [];
  private sequence = 0;

  constructor(private readonly redis: RedisService) {}

  /** Never throws: an audit store outage must not fail the action it records (the log line still has it). */
  async record(input: AuditRecordInput): Promise<AuditEntry> {
    const fields = { at: new Date().toISOString(), ...(maskSecretsDeep(input) as AuditRecordInput) };
    const id = await this.store(fields);
    const entry = { id, ...fields };
    this.logger.log({ event: 'audit', ...entry });
    return entry;
  }

  /** The latest `limit` entries, newest first. */
  async list(limit: number): Promise<AuditEntry[]> {
    if (!this.redis.client) return this.local(limit);
    try {
      const rows = await this.redis.client.xrevrange(this.key, '+', '-', 'COUNT', limit);
      return rows.map(([id, values]) => ({ id, ...(JSON.parse(values[1]) as Omit<AuditEntry, 'id'>) }));
    } catch (error) {
      this.logger.warn(`audit log read failed, showing this instance's entries: ${maskSecrets((error as Error).message)}`);
      return this.local(limit);
    }
  }

  private local(limit: number): AuditEntry[] {
    return this.memory.slice(-limit).reverse();
  }

  private keep(fields: Omit<AuditEntry, 'id'>): string {
    const id = `${Date.now()}-${this.sequence++}`;
    this.memory.push({ id, ...fields });
    if (this.memory.length > AUDIT_CAPACITY) this.memory.shift();
    return id;
  }

  private get key(): string {
    return this.redis.key('audit');
  }

  private async store(fields: Omit<AuditEntry, 'id'>): Promise<string> {
    if (!this.redis.client) return this.keep(fields);
    try {
      return (await this.redis.client.xadd(this.key, 'MAXLEN', '~', AUDIT_CAPACITY, '*', 'entry', JSON.stringify(fields)))!;
    } catch (error) {
      this.logger.error(`audit entry not stored in Redis, kept in this instance: ${maskSecrets((error as Error).message)}`);
      return this.keep(fields);
    }
  }
}
