// Hostile input on every JSON route: nesting far past any DTO, NUL and unpaired surrogates, prototype keys,
// wrong types, bodies over the limit, malformed JSON, tokens whose payload is not an object. Every answer is a
// 4xx in the one error shape, and the app is healthy afterwards (it still registers, logs in and posts).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { INestApplication } from '@nestjs/common';
import { createHmac, randomUUID } from 'node:crypto';
import request from 'supertest';
import { TokenService } from '../src/auth/token.service';
import { createTestApp } from './support/app';
import { closeApp, signUp, suitePrefix, useEnv } from './support/suite';

const REDIS_PREFIX = suitePrefix('hostile');

interface JsonRoute {
  name: string;
  path: string;
  auth?: 'user' | 'admin';
  /** A body field that must be a string (for the wrong-type and NUL cases). */
  field?: string;
}

// The failover and reconnect paths name no region: nothing hostile can ever reach a real one.
const ROUTES: JsonRoute[] = [
  { name: 'register', path: '/api/users', field: 'handle' },
  { name: 'login', path: '/api/auth/login', field: 'password' },
  { name: 'create post', path: '/api/posts', auth: 'user', field: 'content' },
  { name: 'geo write', path: '/api/geo/write', auth: 'user', field: 'value' },
  { name: 'move user', path: '/api/users/nobody_here/move', auth: 'admin', field: 'toRegion' },
  { name: 'failover', path: '/api/database/failover/hostile-nowhere', auth: 'admin', field: 'targetEndpoint' },
  { name: 'refresh connections', path: '/api/database/connections/refresh', auth: 'admin', field: 'group' },
  { name: 'analyze query', path: '/api/database/analyze-query', auth: 'admin' },
  { name: 'reconnect', path: '/api/database/reconnect/hostile-nowhere', auth: 'admin' },
  { name: 'health check', path: '/api/database/health-check', auth: 'admin' },
];

const deepArray = (levels: number) => '['.repeat(levels) + '1' + ']'.repeat(levels);
const deepObject = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);

/** Raw JSON texts: what a hand-written client could send, escapes and all. */
function hostileBodies(route: JsonRoute): [string, string][] {
  const f = route.field ?? 'query';
  const cases: [string, string][] = [
    ['JSON nested 1,300 levels deep (2.6 KB)', `{"${f}":${deepArray(1300)}}`],
    ['JSON nested 40 object levels deep', `{"${f}":${deepObject(40)}}`],
    ['a NUL in a string', `{"${f}":"abc\\u0000def"}`],
    ['an unpaired high surrogate in a string', `{"${f}":"abc\\ud800"}`],
    ['an unpaired low surrogate in a string', `{"${f}":"\\udc00abc"}`],
    ['a NUL in a key', `{"${f}\\u0000":"x"}`],
    ['a __proto__ key', `{"__proto__":{"isAdmin":true},"${f}":"x"}`],
    ['a constructor key', `{"constructor":{"prototype":{"polluted":1}}}`],
    ['a prototype key, nested', `{"${f}":{"prototype":"x"}}`],
    ['malformed JSON', `{"${f}": "unterminated`],
    ['a body over the limit', `{"${f}":"${'x'.repeat(150_000)}"}`],
  ];
  // Routes that read a body also refuse wrong shapes and types.
  if (route.field) {
    cases.push(
      ['an array as the body', `[{"${f}":"x"}]`],
      [`a number for ${f}`, `{"${f}":12345}`],
      [`an object for ${f}`, `{"${f}":{"$gt":""}}`],
      ['an undeclared property', `{"${f}":"x","role":"admin"}`],
    );
  }
  return cases;
}

describe('hostile input on every JSON route (real topology)', () => {
  useEnv({ REDIS_PREFIX, PASSWORD_HASH_COST: '4', FAILOVER_AUTOMATIC: 'false' });
  let app: INestApplication;
  let http: ReturnType<INestApplication['getHttpServer']>;
  const tokens: Record<'user' | 'admin', string> = { user: '', admin: '' };

  beforeAll(async () => {
    app = await createTestApp();
    http = app.getHttpServer();
    const signer = app.get(TokenService);
    tokens.user = `Bearer ${signer.sign({ sub: randomUUID(), roles: ['user'], region: 'us-east' })}`;
    tokens.admin = `Bearer ${signer.sign({ sub: 'hostile-admin', roles: ['admin'] })}`;
  });

  afterAll(() => closeApp(app, REDIS_PREFIX));

  function expectClientError(res: request.Response): void {
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body).toEqual({ statusCode: res.status, error: expect.any(String), message: expect.any(String) });
    expect(res.headers['x-powered-by']).toBeUndefined();
  }

  const cases = ROUTES.flatMap((route) => hostileBodies(route).map(([what, body]) => [route.name, what, route, body] as const));

  it(`has at least 60 hostile body cases (${cases.length})`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
  });

  it.each(cases)('%s: %s is a 4xx in the error shape', async (_name, _what, route, body) => {
    let req = request(http).post(route.path).set('Content-Type', 'application/json');
    if (route.auth) req = req.set('Authorization', tokens[route.auth]);
    expectClientError(await req.send(body));
  });

  it.each([
    ['a NUL in a query value', '/api/feed?limit=1%00'],
    ['a NUL in a path parameter', '/api/geo/read/abc%00def'],
    ['an unpaired surrogate in a path parameter', '/api/users/%ED%A0%80/posts'],
    ['broken percent-encoding in a path parameter', '/api/posts/%E0%A4%A'],
    ['a __proto__ query key', '/api/feed?__proto__=1'],
    ['a huge query value', `/api/feed?limit=${'9'.repeat(5000)}`],
  ])('GET with %s is a 4xx in the error shape', async (_what, path) => {
    expectClientError(await request(http).get(path));
  });

  const secret = () => process.env.JWT_SECRET!;
  const b64 = (text: string) => Buffer.from(text).toString('base64url');
  function signedToken(payload: string): string {
    const head = `${b64('{"alg":"HS256","typ":"JWT"}')}.${b64(payload)}`;
    return `${head}.${createHmac('sha256', secret()).update(head).digest('base64url')}`;
  }

  it.each([
    ['null', 'null'],
    ['a string', '"admin"'],
    ['a number', '42'],
    ['an array', '[{"sub":"x","roles":["admin"]}]'],
    ['not JSON', 'not json at all'],
    ['roles that are not an array', JSON.stringify({ sub: 'x', roles: 'admin', exp: Math.floor(Date.now() / 1000) + 600 })],
  ])('a correctly signed token whose payload is %s is a 401', async (_what, payload) => {
    for (const path of ['/api/database/status', '/api/posts']) {
      const res = await request(http)[path === '/api/posts' ? 'post' : 'get'](path).set('Authorization', `Bearer ${signedToken(payload)}`).send({ content: 'x' });
      expect([path, res.status]).toEqual([path, 401]);
      expectClientError(res);
    }
  });

  it('is healthy afterwards: registers, logs in and posts; serves hardened, unframeable docs', async () => {
    await request(http).get('/health/live').expect(200);
    const { auth } = await signUp(http, 'us-east');
    const post = await request(http).post('/api/posts').set(auth).send({ content: 'still standing 👋' }).expect(201);
    expect(post.body.content).toBe('still standing 👋');
    const docs = await request(http).get('/api/docs').redirects(1);
    expect(docs.status).toBe(200);
    expect(docs.headers['x-frame-options']).toBe('DENY');
    expect(docs.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(docs.headers['x-content-type-options']).toBe('nosniff');
  });
});
