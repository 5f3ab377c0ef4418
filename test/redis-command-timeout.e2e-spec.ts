// The coordination store's command timeout against the real Redis, with this process stalled (as on a starved
// machine): a reply already in the socket when the loop comes back wins; a command Redis never answers still
// times out.
import { afterEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { JudgedTimeoutRedis } from '../libs/regional-db/src/redis/judged-timeout-redis';
import { FAIL_FAST } from '../libs/regional-db/src/redis/redis.settings';

const URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/14';
const TIMEOUT_MS = 300;

/** Blocks this process's event loop, as a starved or busy process finds it when it runs again. */
function stall(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('Redis command timeout after a stall of this process', () => {
  const clients: Redis[] = [];
  const connected = async (client: Redis) => {
    clients.push(client);
    client.on('error', () => undefined);
    await client.connect();
    return client;
  };
  afterEach(() => clients.splice(0).forEach((c) => c.disconnect()));

  it('answers a command whose reply arrived during the stall (ioredis alone fails it as timed out)', async () => {
    const judged = await connected(new JudgedTimeoutRedis(URL, { ...FAIL_FAST, commandTimeout: TIMEOUT_MS }));
    const plain = await connected(new Redis(URL, { ...FAIL_FAST, commandTimeout: TIMEOUT_MS }));
    const replies = [judged.ping(), plain.ping()].map((p) => p.then((v) => v, (e: Error) => e.message));
    stall(10 * TIMEOUT_MS); // long enough for Redis to have answered even on a busy machine
    expect(await Promise.all(replies)).toEqual(['PONG', 'Command timed out']);
  });

  it('still times out a command Redis does not answer', async () => {
    const judged = await connected(new JudgedTimeoutRedis(URL, { ...FAIL_FAST, commandTimeout: TIMEOUT_MS }));
    const started = performance.now();
    await expect(judged.blpop(`rdr-test:never-${randomUUID()}`, 0)).rejects.toThrow('Command timed out');
    expect(performance.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS);
  });
});
