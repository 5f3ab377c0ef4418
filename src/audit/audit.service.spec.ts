import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { RedisService } from '@regional-db/nestjs';
import { AUDIT_CAPACITY, AuditService } from './audit.service';

// Without REDIS_URL the audit log lives in this process (the Redis stream is covered by test/auth.e2e-spec.ts).
const withoutRedis = () => new AuditService({ client: null } as RedisService);

describe('AuditService without Redis', () => {
  // One log line per entry: ten thousand of them have nothing to tell here.
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['error', 'warn', 'log']));

  it('lists the latest entries newest first, with time and id, passwords and tokens masked', async () => {
    const audit = withoutRedis();
    await audit.record({ actor: 'alice', action: 'failover', target: 'us-east', result: 'success', details: { status: 200 } });
    await audit.record({ actor: 'system', action: 'failover', target: 'eu-west', result: 'failure', details: { error: 'lost postgresql://app:s3cret@db/app' } });
    const [latest, first] = await audit.list(10);
    expect(latest).toMatchObject({ actor: 'system', target: 'eu-west', result: 'failure', details: { error: 'lost postgresql://app:***@db/app' } });
    expect(first).toMatchObject({ actor: 'alice', target: 'us-east', result: 'success', details: { status: 200 } });
    expect(first.id).not.toBe(latest.id);
    expect(Date.parse(first.at)).not.toBeNaN();
    expect(await audit.list(1)).toEqual([latest]);
  });

  it(`keeps the latest ${AUDIT_CAPACITY} entries`, async () => {
    const audit = withoutRedis();
    for (let i = 0; i <= AUDIT_CAPACITY; i++) await audit.record({ actor: 'system', action: `a${i}`, result: 'success' });
    const entries = await audit.list(AUDIT_CAPACITY + 1);
    expect(entries).toHaveLength(AUDIT_CAPACITY);
    expect([entries[0].action, entries.at(-1)!.action]).toEqual([`a${AUDIT_CAPACITY}`, 'a1']);
  });
});
