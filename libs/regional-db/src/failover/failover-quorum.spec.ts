import { describe, expect, it, jest } from '@jest/globals';
import { InstanceIdentity } from '../database/instance-identity';
import type { RedisService } from '../redis/redis.service';
import { CoordinationUnavailableError } from './failover-lock';
import { FailoverQuorum } from './failover-quorum';

const settings = { heartbeatMs: 1_000, liveMs: 3_000, voteWindowMs: 5_000 };

/** A Redis that answers every EVAL with `reply` (or fails), recording each call. */
function quorum(reply: () => Promise<unknown>) {
  const evalCalls: unknown[][] = [];
  const client = {
    eval: jest.fn(async (...args: unknown[]) => {
      evalCalls.push(args);
      return reply();
    }),
  };
  const redis = { client, key: (...parts: string[]) => `p:${parts.join(':')}` } as unknown as RedisService;
  return { quorum: new FailoverQuorum(redis, new InstanceIdentity('a'), settings), evalCalls };
}

describe('FailoverQuorum.vote', () => {
  it('votes and tallies in one round trip (one script), and counts by tallyVotes', async () => {
    const { quorum: q, evalCalls } = quorum(async () => [['a', 'b', 'c'], ['a', 'c']]);
    expect(await q.vote('us-east', 'us-east-primary')).toEqual({ live: ['a', 'b', 'c'], votes: ['a', 'c'], needed: 2, reached: true });
    expect(evalCalls).toHaveLength(1);
    const [, numKeys, ...rest] = evalCalls[0];
    expect([numKeys, ...rest]).toEqual([2, 'p:instances', 'p:primary-down:us-east:us-east-primary', 'a', 3_000, 5_000]);
  });

  it('says coordination is unavailable when Redis fails', async () => {
    const { quorum: q } = quorum(async () => {
      throw new Error('Connection is closed.');
    });
    await expect(q.vote('us-east', 'us-east-primary')).rejects.toBeInstanceOf(CoordinationUnavailableError);
  });

  it('without Redis, decides alone', async () => {
    const alone = new FailoverQuorum({ client: null } as unknown as RedisService, new InstanceIdentity('a'), settings);
    expect(await alone.vote('us-east', 'us-east-primary')).toEqual({ live: ['a'], votes: ['a'], needed: 1, reached: true });
  });
});
