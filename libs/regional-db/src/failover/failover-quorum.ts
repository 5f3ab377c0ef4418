import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { redactSecrets } from '../config/redact';
import type { RegionalDatabaseSettings } from '../config/regional-database.settings';
import { InstanceIdentity } from '../database/instance-identity';
import { RedisService } from '../redis/redis.service';
import { QuorumTally, tallyVotes } from './quorum';
import { CoordinationUnavailableError } from './failover-lock';

/** Members seen within `liveMs`, by Redis's own clock (instances' clocks may disagree). */
const HEARTBEAT = `local t = redis.call('TIME'); local now = t[1] * 1000 + math.floor(t[2] / 1000)
redis.call('ZADD', KEYS[1], now, ARGV[1]); redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]) * 10)
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 10); return now`;
/**
 * This instance's vote, then the live members and the votes within the window, in one round trip and atomically:
 * the tally always includes the vote just cast, on one Redis clock reading.
 * KEYS: members, votes; ARGV: self, liveMs, voteWindowMs.
 */
const VOTE_AND_TALLY = `local t = redis.call('TIME'); local now = t[1] * 1000 + math.floor(t[2] / 1000)
redis.call('ZADD', KEYS[2], now, ARGV[1]); redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[3]) * 2)
return { redis.call('ZRANGEBYSCORE', KEYS[1], now - tonumber(ARGV[2]), '+inf'), redis.call('ZRANGEBYSCORE', KEYS[2], now - tonumber(ARGV[3]), '+inf') }`;

export interface QuorumSettings {
  /** How often each instance says it is alive. */
  heartbeatMs: number;
  /** An instance without a heartbeat for this long no longer counts. */
  liveMs: number;
  /** A "primary down" vote counts for this long (each instance renews it while it still sees it down). */
  voteWindowMs: number;
}

export const QUORUM_SETTINGS = Symbol('QUORUM_SETTINGS');

export function quorumSettings(env: RegionalDatabaseSettings): QuorumSettings {
  return {
    heartbeatMs: env.FAILOVER_HEARTBEAT_MS,
    liveMs: env.FAILOVER_INSTANCE_LIVE_MS ?? env.FAILOVER_HEARTBEAT_MS * 3,
    voteWindowMs: env.FAILOVER_QUORUM_WINDOW_MS,
  };
}

/**
 * Heartbeats and "primary down" votes of the app instances sharing Redis: a primary is declared down only
 * when a majority of the live instances see it down (`tallyVotes`). Without Redis, this instance is alone.
 */
@Injectable()
export class FailoverQuorum implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(FailoverQuorum.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly redis: RedisService,
    private readonly identity: InstanceIdentity,
    @Inject(QUORUM_SETTINGS) readonly settings: QuorumSettings,
  ) {}

  get self(): string {
    return this.identity.id;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.redis.client) return;
    await this.heartbeat();
    this.timer = setInterval(() => void this.heartbeat(), this.settings.heartbeatMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    // Leave at once: the others' majority must not wait for this instance's heartbeat to expire.
    await this.redis.client?.zrem(this.membersKey(), this.self).catch(() => undefined);
  }

  /** This instance sees `primaryId` down, and says so; then what every live instance says. */
  async vote(group: string, primaryId: string): Promise<QuorumTally> {
    const client = this.redis.client;
    if (!client) return tallyVotes(this.self, [], [this.self]);
    try {
      const keys = [this.membersKey(), this.votesKey(group, primaryId)];
      const [live, votes] = (await client.eval(VOTE_AND_TALLY, 2, ...keys, this.self, this.settings.liveMs, this.settings.voteWindowMs)) as [string[], string[]];
      return tallyVotes(this.self, live, votes);
    } catch (error) {
      throw new CoordinationUnavailableError(error);
    }
  }

  /** This instance sees `primaryId` answer again: its vote no longer counts. */
  async withdraw(group: string, primaryId: string): Promise<void> {
    await this.redis.client?.zrem(this.votesKey(group, primaryId), this.self).catch(() => undefined);
  }

  private async heartbeat(): Promise<void> {
    await this.redis.client
      ?.eval(HEARTBEAT, 1, this.membersKey(), this.self, this.settings.liveMs)
      .catch((error: Error) => this.logger.debug(`heartbeat: ${redactSecrets(error.message)}`));
  }

  private membersKey(): string {
    return this.redis.key('instances');
  }

  private votesKey(group: string, primaryId: string): string {
    return this.redis.key('primary-down', group, primaryId);
  }
}
