import type { Redis } from 'ioredis';
import type { RedisService } from '../redis/redis.service';
import type { AlertStore, AssertResult } from './alert-store';
import { Alert, AlertAnnotation, AlertEvent, severityRank } from './alert.types';

// Each change is one Lua script: check, change the active hash and append to the capped history list
// atomically, so two instances evaluating the same condition raise (and resolve) it once.
// KEYS: active hash (condition key -> alert JSON), history list (newest first), owners hash of the key.

const ASSERT = `
local RANKS = { low = 0, medium = 1, high = 2, critical = 3 }
redis.call('HSET', KEYS[3], ARGV[4], ARGV[5])
redis.call('PEXPIRE', KEYS[3], 86400000)
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  redis.call('LPUSH', KEYS[2], '{"action":"raised","at":"' .. ARGV[6] .. '","alert":' .. ARGV[2] .. '}')
  redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[7]) - 1)
  return { 'raised', ARGV[2] }
end
local alert = cjson.decode(current)
if RANKS[alert.severity] >= tonumber(ARGV[3]) then return { '', current } end
local candidate = cjson.decode(ARGV[2])
alert.severity = candidate.severity
alert.message = candidate.message
alert.details = candidate.details
alert.updatedAt = candidate.updatedAt
alert.acknowledged = cjson.null
local escalated = cjson.encode(alert)
redis.call('HSET', KEYS[1], ARGV[1], escalated)
redis.call('LPUSH', KEYS[2], '{"action":"escalated","at":"' .. ARGV[6] .. '","alert":' .. escalated .. '}')
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[7]) - 1)
return { 'escalated', escalated }
`;

/** ARGV: key, alert id, annotation JSON, action, at (ISO), history cap. */
const ANNOTATE = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current then return false end
local alert = cjson.decode(current)
if alert.id ~= ARGV[2] then return false end
for field, value in pairs(cjson.decode(ARGV[3])) do alert[field] = value end
alert.updatedAt = ARGV[5]
local annotated = cjson.encode(alert)
redis.call('HSET', KEYS[1], ARGV[1], annotated)
redis.call('LPUSH', KEYS[2], '{"action":"' .. ARGV[4] .. '","at":"' .. ARGV[5] .. '","alert":' .. annotated .. '}')
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[6]) - 1)
return annotated
`;

/** ARGV: key, resolvedAt (ISO), history cap; the script that embeds it sets the local resolution ('' for none). */
const RESOLVE_BODY = `
redis.call('DEL', KEYS[3])
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current then return false end
redis.call('HDEL', KEYS[1], ARGV[1])
local alert = cjson.decode(current)
alert.resolvedAt = ARGV[2]
alert.updatedAt = ARGV[2]
if resolution ~= '' then alert.resolution = resolution end
local resolved = cjson.encode(alert)
redis.call('LPUSH', KEYS[2], '{"action":"resolved","at":"' .. ARGV[2] .. '","alert":' .. resolved .. '}')
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[3]) - 1)
return resolved
`;

/** ARGV: key, resolvedAt, history cap, resolution ('' for none). */
const RESOLVE = `local resolution = ARGV[4]
${RESOLVE_BODY}`;

/** ARGV: key, resolvedAt, history cap, owner, now (ms), staleMs. */
const WITHDRAW = `
local resolution = ''
redis.call('HDEL', KEYS[3], ARGV[4])
local owners = redis.call('HGETALL', KEYS[3])
for i = 2, #owners, 2 do
  if tonumber(ARGV[5]) - tonumber(owners[i]) < tonumber(ARGV[6]) then return false end
end
${RESOLVE_BODY}`;

/** The store shared by every instance on one Redis (same `REDIS_PREFIX`). */
export class RedisAlertStore implements AlertStore {
  private readonly client: Redis;

  constructor(
    private readonly redis: RedisService,
    private readonly historyLimit: number,
  ) {
    if (!redis.client) throw new Error('RedisAlertStore needs REDIS_URL');
    this.client = redis.client;
  }

  async assert(candidate: Alert, owner: string, now: number): Promise<AssertResult> {
    const [change, json] = (await this.client.eval(
      ASSERT, 3, ...this.keys(candidate.key),
      candidate.key, JSON.stringify(candidate), severityRank(candidate.severity), owner, now, candidate.updatedAt, this.historyLimit,
    )) as [string, string];
    return { change: change === '' ? null : (change as AssertResult['change']), alert: JSON.parse(json) as Alert };
  }

  async withdraw(key: string, owner: string, now: number, staleMs: number): Promise<Alert | null> {
    const args = [key, new Date(now).toISOString(), this.historyLimit, owner, now, staleMs];
    return parseAlert((await this.client.eval(WITHDRAW, 3, ...this.keys(key), ...args)) as string | null);
  }

  async disown(key: string, owner: string): Promise<void> {
    await this.client.hdel(this.keys(key)[2], owner);
  }

  async resolve(key: string, now: number, resolution?: string): Promise<Alert | null> {
    const args = [key, new Date(now).toISOString(), this.historyLimit, resolution ?? ''];
    return parseAlert((await this.client.eval(RESOLVE, 3, ...this.keys(key), ...args)) as string | null);
  }

  async annotate(key: string, id: string, annotation: AlertAnnotation, action: 'acknowledged' | 'silenced', at: string): Promise<Alert | null> {
    const args = [key, id, JSON.stringify(annotation), action, at, this.historyLimit];
    return parseAlert((await this.client.eval(ANNOTATE, 2, ...this.keys(key).slice(0, 2), ...args)) as string | null);
  }

  async record(alert: Alert): Promise<void> {
    const event: AlertEvent = { action: 'raised', at: alert.raisedAt, alert };
    await this.client.multi().lpush(this.historyKey(), JSON.stringify(event)).ltrim(this.historyKey(), 0, this.historyLimit - 1).exec();
  }

  async active(): Promise<Alert[]> {
    const all = (await this.client.hvals(this.activeKey())).map((json) => JSON.parse(json) as Alert);
    return all.sort((a, b) => a.raisedAt.localeCompare(b.raisedAt));
  }

  async history(limit: number): Promise<AlertEvent[]> {
    return (await this.client.lrange(this.historyKey(), 0, limit - 1)).map((item) => JSON.parse(item) as AlertEvent);
  }

  private keys(conditionKey: string): [string, string, string] {
    return [this.activeKey(), this.historyKey(), this.redis.key('alerts', 'owners', conditionKey)];
  }

  private activeKey(): string {
    return this.redis.key('alerts', 'active');
  }

  private historyKey(): string {
    return this.redis.key('alerts', 'history');
  }
}

function parseAlert(json: string | null): Alert | null {
  return json === null ? null : (JSON.parse(json) as Alert);
}
