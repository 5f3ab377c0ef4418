// The Redis alert store against a real Redis: same contract as the in-process store.
import { afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { RedisAlertStore } from '../libs/regional-db/src/alerts/redis-alert.store';
import { RedisService } from '../libs/regional-db/src/redis/redis.service';
import { alertStoreContract } from '../libs/regional-db/src/alerts/alert-store.contract';
import { validateEnvironment } from '../src/config/environment';
import { redisSettings } from '../libs/regional-db/src/redis/redis.settings';

const services: RedisService[] = [];

async function freshStore(historyLimit: number): Promise<RedisAlertStore> {
  const before = process.env.REDIS_PREFIX;
  process.env.REDIS_PREFIX = `${before ?? 'rdr:'}alert-store-${randomUUID().slice(0, 8)}:`;
  try {
    const redis = new RedisService(redisSettings(validateEnvironment(process.env)));
    services.push(redis);
    if (!redis.client) throw new Error('these tests need REDIS_URL');
    // As in the app (RedisService.onModuleInit): connected before use, commands are not queued.
    await redis.ready();
    return new RedisAlertStore(redis, historyLimit);
  } finally {
    process.env.REDIS_PREFIX = before;
  }
}

afterAll(async () => {
  for (const redis of services) {
    try {
      const keys = await redis.client!.keys(`${redis.prefix}*`);
      if (keys.length) await redis.client!.del(...keys);
    } finally {
      await redis.onApplicationShutdown();
    }
  }
});

alertStoreContract('RedisAlertStore', freshStore);
