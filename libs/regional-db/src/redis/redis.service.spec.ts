import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { regionalDatabaseSettings } from '../config/regional-database.settings';
import { RedisService } from './redis.service';
import { redisSettings } from './redis.settings';

const redis = (raw: Record<string, string>) => new RedisService(redisSettings(regionalDatabaseSettings(raw)));

describe('RedisService coordination state', () => {
  let service: RedisService | undefined;
  beforeAll(() => Logger.overrideLogger(false));
  afterEach(async () => {
    await service?.onApplicationShutdown();
  });

  it('is disabled without Redis settings', () => {
    service = redis({});
    expect(service.coordination).toBe('disabled');
    expect(service.client).toBeNull();
  });

  it('connects only when asked (after every provider is built), not when constructed', async () => {
    service = redis({ REDIS_URL: 'redis://127.0.0.1:1' });
    expect(service.client!.status).toBe('wait');
    await service.ready();
    expect(service.client!.status).not.toBe('wait');
  });

  it('says unavailable, once, when Redis cannot be reached, and fails commands at once instead of queueing them', async () => {
    // Port 1 on loopback: nothing listens there, the connection is refused at once.
    service = redis({ REDIS_URL: 'redis://127.0.0.1:1' });
    const events: string[] = [];
    service.events.on('unavailable', () => events.push('unavailable'));
    await service.ready();
    // Several failed reconnection attempts later, still one announcement.
    await new Promise<void>((resolve) => {
      let attempts = 0;
      service!.client!.on('reconnecting', () => ++attempts === 3 && resolve());
    });
    expect(service.coordination).toBe('unavailable');
    expect(events.length).toBeLessThanOrEqual(1);
    await expect(service.client!.get('x')).rejects.toThrow();
  });
});
