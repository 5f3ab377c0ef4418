import { describe, expect, it } from '@jest/globals';
import type { ServerResponse } from 'node:http';
import { appLoggerOptions } from './log-options';

describe('appLoggerOptions: the response serializer', () => {
  it('logs the status only: response headers (helmet\'s constant ones, cookies) are not worth a line each', () => {
    const headers = {
      'x-request-id': 'r-1',
      'content-type': 'application/json',
      'x-frame-options': 'DENY',
      'content-security-policy': "default-src 'self'",
      'strict-transport-security': 'max-age=31536000',
    };
    const res = { statusCode: 401, getHeaders: () => headers } as unknown as ServerResponse;
    const serialize = appLoggerOptions({ level: 'info', pretty: false }).serializers!.res as (res: ServerResponse) => unknown;
    expect(serialize(res)).toEqual({ statusCode: 401 });
  });
});
