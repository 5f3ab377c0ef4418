import { afterEach, describe, expect, it } from '@jest/globals';
import { ArgumentsHost, BadRequestException, Logger, LoggerService } from '@nestjs/common';
import { HttpErrorFilter, sentError } from './http-error.filter';

const lines: string[] = [];
const capture: LoggerService = {
  log: (...args: unknown[]) => void lines.push(JSON.stringify(args)),
  error: (...args: unknown[]) => void lines.push(JSON.stringify(args)),
  warn: (...args: unknown[]) => void lines.push(JSON.stringify(args)),
};

function respond(exception: unknown) {
  const response = {
    locals: {} as Record<string, unknown>,
    headersSent: false,
    statusCode: 0,
    body: undefined as unknown,
    status(code: number) {
      this.statusCode = code;
      return this;
    },
    json(body: unknown) {
      this.body = body;
      return this;
    },
  };
  const request = { method: 'POST', path: '/api/database/failover/us-east' };
  const host = { switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }) } as unknown as ArgumentsHost;
  Logger.overrideLogger(capture);
  new HttpErrorFilter('100kb').catch(exception, host);
  return response;
}

describe('HttpErrorFilter', () => {
  afterEach(() => {
    lines.length = 0;
    Logger.overrideLogger(['error', 'warn', 'log']);
  });

  it('answers an unexpected error with a generic 500 and logs the detail without the password', () => {
    const response = respond(new Error('connect ECONNREFUSED postgresql://app:s3cret@10.0.0.1:5432/app'));
    expect(response.statusCode).toBe(500);
    expect(response.body).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'Internal server error' });
    expect(lines.join('\n')).toContain('POST /api/database/failover/us-east failed: Error: connect ECONNREFUSED postgresql://app:***@10.0.0.1:5432/app');
    expect(lines.join('\n')).not.toContain('s3cret');
  });

  it('redacts passwords and tokens from a client error message and remembers the body it sent', () => {
    const response = respond(new BadRequestException('cannot use postgresql://app:s3cret@db/app with Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJl'));
    expect(response.body).toEqual({ statusCode: 400, error: 'Bad Request', message: 'cannot use postgresql://app:***@db/app with Bearer ***' });
    expect(sentError(response as never)).toEqual(response.body);
    expect(lines).toEqual([]);
  });
});
