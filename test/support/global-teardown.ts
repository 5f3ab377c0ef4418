// Once after the e2e suites: the run leaves no key behind in the shared Redis. Keys still under the run's
// prefix (an app closed without cleaning up, a suite that failed half-way) are listed by suite and deleted;
// if any can still be found afterwards, the run fails.
import { Redis } from 'ioredis';

async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

export default async function globalTeardown(): Promise<void> {
  const prefix = process.env.REDIS_PREFIX;
  if (!process.env.REDIS_URL || !prefix) return;
  const redis = new Redis(process.env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const left = await keysUnder(redis, prefix);
    if (left.length) {
      const bySuite = new Map<string, number>();
      for (const key of left) {
        const suite = key.slice(prefix.length).split(':')[0];
        bySuite.set(suite, (bySuite.get(suite) ?? 0) + 1);
      }
      console.log(`\nRedis: ${left.length} key(s) left under ${prefix} (${[...bySuite].map(([s, n]) => `${s}: ${n}`).join(', ')}); deleting them`);
      for (let i = 0; i < left.length; i += 500) await redis.del(...left.slice(i, i + 500));
    }
    const remaining = await keysUnder(redis, prefix);
    if (remaining.length) throw new Error(`Redis: ${remaining.length} key(s) still under ${prefix} after the run: ${remaining.slice(0, 5).join(', ')}`);
    console.log(`Redis: no key left under ${prefix} (${process.env.REDIS_URL.replace(/\/\/[^@]*@/, '//')})`);
  } finally {
    redis.disconnect();
  }
}
