import { describe, expect, it } from '@jest/globals';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { pino } from 'pino';
import { requestLogs } from './app-logger';
import { completionLoggerOptions, appLoggerOptions } from './log-options';
import { requestLogging } from './request-logging';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJl';

function setup(level: 'info' | 'warn' = 'info') {
  const lines: Record<string, unknown>[] = [];
  const destination = { write: (line: string) => void lines.push(JSON.parse(line)) };
  const settings = { level, pretty: false } as const;
  const root = pino(appLoggerOptions(settings), destination);
  const middleware = requestLogging(root, pino(completionLoggerOptions(settings), destination));
  return { lines, root, middleware };
}

function exchange(url: string, headers: Record<string, string> = {}) {
  const req = new IncomingMessage(new Socket());
  req.method = 'GET';
  req.url = url;
  req.headers = { host: 'api.example', ...headers };
  const res = new ServerResponse(req);
  const finish = (statusCode: number) => {
    res.statusCode = statusCode;
    res.end();
    res.emit('finish');
    res.emit('close');
  };
  return { req, res, finish };
}

describe('requestLogging', () => {
  it('echoes a valid X-Request-Id and logs one completion line with picked, masked fields', () => {
    const { lines, middleware } = setup();
    const { req, res, finish } = exchange('/api/posts/1?token=query-secret', {
      'x-request-id': 'edge-1',
      'user-agent': `curl Bearer ${JWT}`,
      authorization: `Bearer ${JWT}`,
      cookie: 'session=cookie-secret',
      'x-unlisted': 'not logged',
    });
    middleware(req, res, () => undefined);
    expect(res.getHeader('X-Request-Id')).toBe('edge-1');
    finish(200);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'info',
        msg: 'request completed',
        requestId: 'edge-1',
        req: {
          id: 'edge-1',
          method: 'GET',
          path: '/api/posts/1',
          headers: { host: 'api.example', 'user-agent': 'curl Bearer ***', authorization: '***', cookie: '***' },
        },
        res: { statusCode: 200 },
        responseTime: expect.any(Number),
      }),
    ]);
    expect(JSON.stringify(lines)).not.toMatch(/query-secret|cookie-secret|eyJ/);
  });

  it('logs a 4xx at warn, a 5xx at error with an err, and once only (finish, then close)', () => {
    const { lines, middleware } = setup();
    for (const status of [404, 503]) {
      const { req, res, finish } = exchange('/api/x');
      middleware(req, res, () => undefined);
      finish(status);
    }
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      ['warn', 'request completed'],
      ['error', 'request errored'],
    ]);
    expect(lines[1].err).toMatchObject({ type: 'Error', message: 'failed with status code 503' });
  });

  it('says so when the response never ended', () => {
    const { lines, middleware } = setup();
    const { req, res } = exchange('/api/x');
    middleware(req, res, () => undefined);
    res.emit('close');
    expect(lines).toEqual([expect.objectContaining({ msg: 'request aborted' })]);
  });

  it('gives probes no line, and skips lines below the level', () => {
    const { lines, middleware } = setup('warn');
    for (const [url, status] of [['/health/ready', 503], ['/api/x', 200]] as const) {
      const { req, res, finish } = exchange(url);
      middleware(req, res, () => undefined);
      finish(status);
    }
    expect(lines).toEqual([]);
  });

  it('serves the request inside its logging scope, whose child logger is made on the first line only', () => {
    const { lines, root, middleware } = setup();
    const { req, res } = exchange('/api/x', { 'x-request-id': 'r-2' });
    let children = 0;
    const child = root.child.bind(root);
    root.child = ((...args: Parameters<typeof child>) => (children++, child(...args))) as typeof root.child;
    middleware(req, res, () => {
      const scope = requestLogs.getStore()!;
      expect(scope.id).toBe('r-2');
      expect(children).toBe(0);
      scope.logger.info('inside');
      scope.logger.info('again');
    });
    expect(children).toBe(1);
    expect(lines.map((l) => [l.msg, l.requestId])).toEqual([
      ['inside', 'r-2'],
      ['again', 'r-2'],
    ]);
  });
});
