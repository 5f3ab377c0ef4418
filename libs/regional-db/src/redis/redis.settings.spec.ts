import { describe, expect, it } from '@jest/globals';
import { InvalidSettingError } from '../common/invalid-setting.error';
import { regionalDatabaseSettings } from '../config/regional-database.settings';
import { redisSettings, redisTarget } from './redis.settings';

const target = (raw: Record<string, string>) => redisTarget(regionalDatabaseSettings(raw));

describe('redisTarget', () => {
  it('is none without settings, one server with REDIS_URL', () => {
    expect(target({})).toEqual({ kind: 'none' });
    expect(target({ REDIS_URL: 'redis://127.0.0.1:6379/12' })).toEqual({ kind: 'url', url: 'redis://127.0.0.1:6379/12' });
    expect(redisSettings(regionalDatabaseSettings({})).prefix).toBe('rdr:');
  });

  it('reads Sentinel addresses and the primary name; the password and database may come from REDIS_URL', () => {
    expect(target({ REDIS_SENTINELS: 'a:26379, 10.0.0.2:26380', REDIS_SENTINEL_NAME: 'coord', REDIS_URL: 'redis://:s%40cret@ignored:1/3' })).toEqual({
      kind: 'sentinel',
      sentinels: [{ host: 'a', port: 26379 }, { host: '10.0.0.2', port: 26380 }],
      name: 'coord',
      password: 's@cret',
      sentinelPassword: undefined,
      db: 3,
    });
    expect(target({ REDIS_SENTINELS: '[::1]:26379', REDIS_SENTINEL_NAME: 'm', REDIS_PASSWORD: 'p', REDIS_SENTINEL_PASSWORD: 'q' })).toMatchObject({
      sentinels: [{ host: '::1', port: 26379 }],
      password: 'p',
      sentinelPassword: 'q',
      db: 0,
    });
  });

  it('a bad Redis setting stops start-up with one line naming the variable, never echoing a password', () => {
    const problem = (env: Record<string, string>) => {
      try {
        target(env);
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidSettingError);
        return (error as Error).message;
      }
      throw new Error('accepted');
    };
    expect(problem({ REDIS_SENTINELS: 'a:1' })).toMatch(/^Invalid setting REDIS_SENTINEL_NAME: is required with REDIS_SENTINELS/);
    expect(problem({ REDIS_SENTINEL_NAME: 'm' })).toMatch(/^Invalid setting REDIS_SENTINELS: is required/);
    expect(problem({ REDIS_SENTINELS: 'a:1,b', REDIS_SENTINEL_NAME: 'm' })).toBe(
      'Invalid setting REDIS_SENTINELS: must be a comma-separated list of host:port ("b" is not), got "a:1,b"',
    );
    expect(problem({ REDIS_SENTINELS: 'a:70000', REDIS_SENTINEL_NAME: 'm' })).toMatch(/^Invalid setting REDIS_SENTINELS/);
    expect(problem({ REDIS_SENTINELS: 'a:1', REDIS_SENTINEL_NAME: 'no spaces' })).toMatch(/^Invalid setting REDIS_SENTINEL_NAME/);
    const bad = problem({ REDIS_URL: 'http://:hunter2@x:1' });
    expect(bad).toMatch(/^Invalid setting REDIS_URL: must use redis:\/\//);
    expect(bad).not.toContain('hunter2');
    expect(problem({ REDIS_URL: 'redis://:hunter2@x:1/abc' })).not.toContain('hunter2');
  });
});
