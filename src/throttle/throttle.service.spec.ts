import { describe, expect, it } from '@jest/globals';
import { TooManyRequestsError } from '../common/too-many-requests.error';
import type { RedisService } from '@regional-db/nestjs';
import { Throttle } from './throttle.service';
import { validateEnvironment } from '../config/environment';
import { throttleSettings } from './throttle.settings';

// No Redis configured: the instance's own counts (the Redis path is test/throttling.e2e-spec.ts).
const noRedis = { client: null, coordination: 'disabled', key: (...parts: string[]) => parts.join(':') } as unknown as RedisService;
const settings = throttleSettings(validateEnvironment({ THROTTLE_REGISTER_PER_ADDRESS: '2', THROTTLE_LOGIN_FAILURES_PER_HANDLE: '2', THROTTLE_LOGIN_HOLD_SECONDS: '30' }));

async function refusal(attempt: Promise<void>): Promise<TooManyRequestsError> {
  const error = await attempt.then(() => null, (e: unknown) => e);
  if (!(error instanceof TooManyRequestsError)) throw new Error(`expected a 429, got ${String(error)}`);
  return error;
}

describe('Throttle', () => {
  it('refuses an address past its limit with a Retry-After, per route and per address', async () => {
    const throttle = new Throttle(noRedis, settings);
    await throttle.hitAddress('register', '203.0.113.1');
    await throttle.hitAddress('register', '203.0.113.1');
    const refused = await refusal(throttle.hitAddress('register', '203.0.113.1'));
    expect(refused.getStatus()).toBe(429);
    expect(refused.message).toMatch(/^Too many register requests from this address \(limit 2 per 60 s\); retry in \d+ s$/);
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(59);
    await throttle.hitAddress('register', '203.0.113.2');
    await throttle.hitAddress('login', '203.0.113.1');
  });

  it('holds a handle from its limit of failures on, for everyone, until a success clears it', async () => {
    const throttle = new Throttle(noRedis, settings);
    await throttle.loginFailed('ada');
    await throttle.assertLoginAllowed('ada');
    await throttle.loginFailed('ada');
    expect((await refusal(throttle.assertLoginAllowed('ada'))).retryAfterSeconds).toBe(30);
    await throttle.assertLoginAllowed('bob');
    await throttle.loginSucceeded('ada');
    await throttle.assertLoginAllowed('ada');
  });
});
