import { describe, expect, it } from '@jest/globals';
import { maskSecrets, maskSecretsDeep } from './secret-masking';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.sig_-nature';

describe('maskSecrets', () => {
  it.each([
    ['connect postgresql://app:pw@db:5432/app failed', 'connect postgresql://app:***@db:5432/app failed'],
    ['Authorization: Bearer abc.def-ghi~', 'Authorization: Bearer ***'],
    ['missing bearer token', 'missing bearer token'],
    ['basic auth Basic dXNlcjpwYXNz==', 'basic auth Basic ***'],
    [`token ${JWT} expired`, 'token *** expired'],
    [`{"token":"${JWT}"}`, '{"token":"***"}'],
    ["host=db port=5432 password='it\\'s me' user=app", 'host=db port=5432 password=*** user=app'],
    ['host=db password=s3cret application_name=r1', 'host=db password=*** application_name=r1'],
    // Whatever the case (the quick pre-check must let every candidate through to the patterns).
    ['AUTHORIZATION: BEARER abc.def-ghi~', 'AUTHORIZATION: BEARER ***'],
    ['HOST=db PASSWORD=s3cret', 'HOST=db password=***'],
    ['REDIS://:pw@h:6379', 'REDIS://:***@h:6379'],
  ])('%s', (text, expected) => {
    expect(maskSecrets(text)).toBe(expected);
  });

  it('leaves ordinary text alone', () => {
    const text = 'read routed to us-east-replica-1 (lag 0 bytes) at 2026-01-01T00:00:00Z, see https://example.com/x';
    expect(maskSecrets(text)).toBe(text);
  });
});

describe('maskSecretsDeep', () => {
  it('masks strings in nested plain objects and arrays without touching the original', () => {
    const input = { msg: 'Bearer abc123456', nested: { list: ['postgresql://u:pw@h/db', 3, null] } };
    expect(maskSecretsDeep(input)).toEqual({ msg: 'Bearer ***', nested: { list: ['postgresql://u:***@h/db', 3, null] } });
    expect(input.msg).toBe('Bearer abc123456');
  });

  it('turns an error into its masked fields, cause included', () => {
    const cause = new Error('socket to postgresql://u:pw@h/db closed');
    const error = Object.assign(new Error(`query failed, token ${JWT}`, { cause }), { code: 'E1' });
    const masked = maskSecretsDeep({ err: error }) as { err: Record<string, unknown> };
    expect(masked.err).toMatchObject({
      type: 'Error',
      code: 'E1',
      message: 'query failed, token ***',
      cause: { type: 'Error', message: 'socket to postgresql://u:***@h/db closed' },
    });
    expect(JSON.stringify(masked)).not.toMatch(/pw@|eyJ/);
  });

  it('leaves class instances to their serializers', () => {
    class Request {
      url = 'postgresql://u:pw@h/db';
    }
    const request = new Request();
    expect((maskSecretsDeep({ req: request }) as { req: unknown }).req).toBe(request);
  });
});
