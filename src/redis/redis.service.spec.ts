import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { RedisService } from './redis.service';

describe('RedisService coordination state', () => {
  const saved = { url: process.env.REDIS_URL, sentinels: process.env.REDIS_SENTINELS, name: process.env.REDIS_SENTINEL_NAME };
  let service: RedisService | undefined;
  beforeAll(() => Logger.overrideLogger(false));
  afterEach(async () => {
    await service?.onApplicationShutdown();
    for (const [key, value] of Object.entries({ REDIS_URL: saved.url, REDIS_SENTINELS: saved.sentinels, REDIS_SENTINEL_NAME: saved.name })) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('is disabled without Redis settings', () => {
    delete process.env.REDIS_URL;
    delete process.env.REDIS_SENTINELS;
    delete process.env.REDIS_SENTINEL_NAME;
    service = new RedisService();
    expect(service.coordination).toBe('disabled');
    expect(service.client).toBeNull();
  });

  it('says unavailable, once, when Redis cannot be reached, and fails commands at once instead of queueing them', async () => {
    // Port 1 on loopback: nothing listens there, the connection is refused at once.
    process.env.REDIS_URL = 'redis://127.0.0.1:1';
    service = new RedisService();
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

  it('refuses a bad Sentinel setting at construction, naming the variable', () => {
    process.env.REDIS_SENTINELS = 'no-port';
    process.env.REDIS_SENTINEL_NAME = 'm';
    expect(() => new RedisService()).toThrow('Invalid setting REDIS_SENTINELS');
    service = undefined;
  });
});
