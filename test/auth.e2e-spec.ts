// The admin API's security plumbing on a real HTTP server (and real Redis when REDIS_URL is set), with a
// test-only controller guarded exactly as the admin routes are. Needs no PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Body, ConflictException, Controller, Get, Global, HttpCode, INestApplication, LoggerService, Module, Param, Post, Query } from '@nestjs/common';
import { REGIONAL_DATABASE_SETTINGS, regionalDatabaseSettings } from '@regional-db/nestjs';
import { JwtService } from '@nestjs/jwt';
import { Test } from '@nestjs/testing';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import request from 'supertest';
import { configureApp } from '../src/app.setup';
import { AuditModule } from '../src/audit/audit.module';
import { AuditEntry } from '../src/audit/audit-entry';
import { AdminMutation, AdminOnly, CurrentUser, ViewerOrAdmin } from '../src/auth/auth.decorators';
import { AuthModule } from '../src/auth/auth.module';
import { AUTH_SETTINGS, AuthSettings } from '../src/auth/auth.settings';
import type { AuthenticatedUser } from '../src/auth/authenticated-user';
import { MUTATION_RATE_LIMIT } from '../src/auth/mutation-rate-limit';
import { Role } from '../src/auth/roles';
import { TokenService } from '../src/auth/token.service';
import { LimitQueryDto } from '../libs/regional-db/src/common/limit';
import { RedisModule } from '../libs/regional-db/src/redis/redis.module';
import { RedisService } from '../libs/regional-db/src/redis/redis.service';
import { SettingsModule } from '../src/config/settings.module';
import { suitePrefix } from './support/suite';
import { testTopology } from './support/test-topology';

const SECRET = `test-secret-${randomUUID()}`;
const DB_PASSWORD = `pw-${randomUUID()}`;
const RATE_LIMIT = 5;
const hs256: AuthSettings = {
  keys: { algorithm: 'HS256', secret: SECRET },
  keySource: 'JWT_SECRET',
  issuer: 'regional-db-router',
  audience: 'regional-db-router',
  ttlSeconds: 600,
};

class ProbeBody {
  @IsOptional()
  @IsString()
  @MaxLength(64)
  target?: string;
}

@Controller('api/probe')
class ProbeController {
  @Get('read')
  @ViewerOrAdmin()
  read(@CurrentUser() user: AuthenticatedUser) {
    return user;
  }

  @Get('admin-read')
  @AdminOnly()
  adminRead() {
    return { ok: true };
  }

  @Get('items')
  @ViewerOrAdmin()
  items(@Query() query: LimitQueryDto) {
    return { limit: query.limit };
  }

  @Post('mutate/:region')
  @HttpCode(200)
  @AdminMutation('probe-mutate')
  mutate(@Param('region') region: string, @Body() body: ProbeBody) {
    if (region === 'busy') throw new ConflictException(`A probe of ${region} is already running`);
    if (region === 'crash') throw new Error(`lost postgresql://app:${DB_PASSWORD}@10.0.0.1:5432/app`);
    return { region, target: body.target ?? null };
  }
}

/** A feature module that imports nothing: the decorators must work with AuthModule and AuditModule imported once, at the root. */
@Module({ controllers: [ProbeController] })
class ProbeModule {}

/** Every line the application logs, as text. */
class CapturedLog implements LoggerService {
  readonly lines: string[] = [];
  log = (...args: unknown[]) => this.push('log', args);
  error = (...args: unknown[]) => this.push('error', args);
  warn = (...args: unknown[]) => this.push('warn', args);
  debug = (...args: unknown[]) => this.push('debug', args);
  verbose = (...args: unknown[]) => this.push('verbose', args);
  private push(level: string, args: unknown[]): void {
    this.lines.push(`${level} ${JSON.stringify(args)}`);
  }
}

/** The router library's settings, which RedisService reads, without the rest of the library. */
@Global()
@Module({ providers: [{ provide: REGIONAL_DATABASE_SETTINGS, useFactory: () => regionalDatabaseSettings(process.env) }], exports: [REGIONAL_DATABASE_SETTINGS] })
class LibrarySettingsModule {}

async function startApp(settings: AuthSettings, log: CapturedLog): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [SettingsModule.forRoot({ topology: testTopology() }), LibrarySettingsModule, RedisModule, AuthModule, AuditModule, ProbeModule],
  })
    .overrideProvider(AUTH_SETTINGS)
    .useValue(settings)
    .overrideProvider(MUTATION_RATE_LIMIT)
    .useValue({ limit: RATE_LIMIT, windowMs: 60_000 })
    .compile();
  const app = moduleRef.createNestApplication({ logger: log });
  configureApp(app);
  await app.listen(0, '127.0.0.1');
  return app;
}

async function until<T>(check: () => Promise<T | undefined>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('admin API security (HS256)', () => {
  const log = new CapturedLog();
  /** Every response body and header seen, to prove no token or secret ever comes back. */
  const answered: string[] = [];
  /** Every token sent, to prove none is ever echoed or logged. */
  const sentTokens: string[] = [];
  const jwt = new JwtService();
  const redisPrefixBefore = process.env.REDIS_PREFIX;
  let app: INestApplication;
  let tokens: TokenService;

  const token = (roles: Role[], sub = `user-${randomUUID().slice(0, 8)}`) => tokens.sign({ sub, roles });
  /** A token with whatever claims and key, the way an attacker or a misconfigured issuer would make it. */
  const forged = (claims: object, options: { secret?: string; issuer?: string; audience?: string } = {}) =>
    jwt.sign(
      // A claim set to undefined is left out.
      JSON.parse(JSON.stringify({ sub: 'mallory', roles: ['admin'], exp: Math.floor(Date.now() / 1000) + 600, ...claims })) as object,
      { secret: options.secret ?? SECRET, algorithm: 'HS256', issuer: options.issuer ?? 'regional-db-router', audience: options.audience ?? 'regional-db-router' },
    );

  function call(method: 'get' | 'post', path: string, options: { token?: string; authorization?: string; body?: string | object } = {}) {
    let test = request(app.getHttpServer())[method](path);
    if (options.token) {
      sentTokens.push(options.token);
      test = test.set('Authorization', `Bearer ${options.token}`);
    }
    if (options.authorization) test = test.set('Authorization', options.authorization);
    if (typeof options.body === 'string') test = test.set('Content-Type', 'application/json').send(options.body);
    else if (options.body) test = test.send(options.body);
    return test.then((response) => {
      answered.push(JSON.stringify(response.headers), response.text);
      return response;
    });
  }

  async function auditEntries(viewerToken: string, limit = 50): Promise<AuditEntry[]> {
    const response = await call('get', `/api/database/audit?limit=${limit}`, { token: viewerToken });
    expect(response.status).toBe(200);
    return (response.body as { entries: AuditEntry[] }).entries;
  }

  beforeAll(async () => {
    // A stream of its own, so entries of other suites sharing the Redis database do not mix in.
    process.env.REDIS_PREFIX = suitePrefix('auth-e2e');
    app = await startApp(hs256, log);
    tokens = app.get(TokenService);
  });

  afterAll(async () => {
    const redis = app.get(RedisService);
    await redis.client?.del(redis.key('audit'));
    await app.close();
    process.env.REDIS_PREFIX = redisPrefixBefore;
  });

  describe('authentication: 401 with a message that says what is wrong', () => {
    const now = () => Math.floor(Date.now() / 1000);
    const cases: [string, () => { token?: string; authorization?: string }, string][] = [
      ['no Authorization header', () => ({}), 'Missing bearer token (Authorization: Bearer <jwt>)'],
      ['a Basic credential', () => ({ authorization: 'Basic YWRtaW46YWRtaW4=' }), 'Missing bearer token (Authorization: Bearer <jwt>)'],
      ['a malformed token', () => ({ token: 'not-a-jwt' }), 'Malformed token'],
      ['three garbage segments', () => ({ token: 'abc.def.ghi' }), 'Malformed token'],
      ['an expired token', () => ({ token: forged({ exp: now() - 60 }) }), 'Token expired'],
      ['a token not valid yet', () => ({ token: forged({ nbf: now() + 3600 }) }), 'Token not valid yet'],
      ['a token signed with another secret', () => ({ token: forged({}, { secret: `other-${SECRET}` }) }), 'Token signature is invalid'],
      ['a token with a tampered payload', () => ({ token: tamperedRoles(token(['viewer'])) }), 'Token signature is invalid'],
      ['an unsigned alg none token', () => ({ token: `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: 'mallory', roles: ['admin'], exp: now() + 600 })}.` }), 'Token algorithm is not accepted'],
      ['an alg none token with a signature', () => ({ token: `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: 'mallory', roles: ['admin'] })}.c2ln` }), 'Token algorithm is not accepted'],
      ['a token from another issuer', () => ({ token: forged({}, { issuer: 'someone-else' }) }), 'Token issuer is not accepted'],
      ['a token for another audience', () => ({ token: forged({}, { audience: 'another-api' }) }), 'Token audience is not accepted'],
      ['a token without expiry', () => ({ token: forged({ exp: undefined }) }), 'Token has no expiry (exp)'],
      ['a token without subject', () => ({ token: forged({ sub: undefined }) }), 'Token has no subject (sub)'],
      ['a token whose roles are not a list', () => ({ token: forged({ roles: 'admin' }) }), 'Token roles claim must be an array'],
    ];

    it.each(cases)('%s', async (_name, credential, message) => {
      for (const [method, path] of [
        ['get', '/api/probe/read'],
        ['post', '/api/probe/mutate/us-east'],
      ] as const) {
        const response = await call(method, path, credential());
        expect([path, response.status, response.body]).toEqual([path, 401, { statusCode: 401, error: 'Unauthorized', message }]);
      }
    });

    it('does not record calls without a valid token in the audit log', async () => {
      expect((await auditEntries(token(['viewer']))).filter((entry) => entry.actor === 'mallory' || entry.actor === 'anonymous')).toEqual([]);
    });
  });

  describe('authorisation', () => {
    it('lets viewer and admin tokens read and tells the handler who called', async () => {
      for (const roles of [['viewer'], ['admin'], ['viewer', 'admin']] as Role[][]) {
        const response = await call('get', '/api/probe/read', { token: tokens.sign({ sub: 'reader', roles, region: 'eu-west' }) });
        expect([response.status, response.body]).toEqual([200, { sub: 'reader', roles, region: 'eu-west' }]);
      }
    });

    it('refuses a viewer on admin routes with 403 and lets an admin through', async () => {
      const viewer = token(['viewer']);
      for (const [method, path] of [
        ['get', '/api/probe/admin-read'],
        ['post', '/api/probe/mutate/us-east'],
      ] as const) {
        const response = await call(method, path, { token: viewer });
        expect([path, response.status, response.body]).toEqual([path, 403, { statusCode: 403, error: 'Forbidden', message: 'This route requires the admin role; the token has viewer' }]);
      }
      expect((await call('get', '/api/probe/admin-read', { token: token(['admin']) })).status).toBe(200);
      const mutation = await call('post', '/api/probe/mutate/us-east', { token: token(['admin']), body: { target: 'us-east-replica-1' } });
      expect([mutation.status, mutation.body]).toEqual([200, { region: 'us-east', target: 'us-east-replica-1' }]);
    });

    it('refuses a token with no role or only unknown roles with 403', async () => {
      for (const roles of [[], ['root']]) {
        const response = await call('get', '/api/probe/read', { token: forged({ sub: 'nobody', roles }) });
        expect([response.status, response.body.message]).toEqual([403, 'This route requires the admin or viewer role; the token has no role']);
      }
    });
  });

  describe('audit log', () => {
    it('records each mutating call with the token subject, target, outcome and status, readable by a viewer', async () => {
      const admin = token(['admin'], 'alice');
      expect((await call('post', '/api/probe/mutate/eu-west', { token: admin, body: { target: 'eu-west-replica-1' } })).status).toBe(200);
      expect((await call('post', '/api/probe/mutate/busy', { token: admin })).status).toBe(409);
      expect((await call('post', '/api/probe/mutate/eu-west', { token: admin, body: { target: 7 } })).status).toBe(400);
      expect((await call('post', '/api/probe/mutate/eu-west', { token: token(['viewer'], 'bob') })).status).toBe(403);

      const viewer = token(['viewer']);
      const mine = await until(async () => {
        const entries = (await auditEntries(viewer)).filter((entry) => entry.actor === 'alice' || entry.actor === 'bob');
        return entries.length === 4 ? entries : undefined;
      });
      expect(mine.map(({ actor, action, target, result, details }) => ({ actor, action, target, result, details }))).toEqual([
        { actor: 'bob', action: 'probe-mutate', target: 'eu-west', result: 'failure', details: { status: 403, error: 'This route requires the admin role; the token has viewer' } },
        { actor: 'alice', action: 'probe-mutate', target: 'eu-west', result: 'failure', details: { status: 400, error: 'target must be shorter than or equal to 64 characters; target must be a string', input: { target: 7 } } },
        { actor: 'alice', action: 'probe-mutate', target: 'busy', result: 'failure', details: { status: 409, error: 'A probe of busy is already running' } },
        { actor: 'alice', action: 'probe-mutate', target: 'eu-west', result: 'success', details: { status: 200, input: { target: 'eu-west-replica-1' } } },
      ]);
      expect(mine.every((entry) => !Number.isNaN(Date.parse(entry.at)) && entry.id)).toBe(true);
      // One structured log line per entry.
      expect(log.lines.filter((line) => line.includes('"event":"audit"') && line.includes('"actor":"alice"'))).toHaveLength(3);
    });

    it('keeps the entries in the Redis stream when Redis is configured', async () => {
      const redis = app.get(RedisService);
      if (!redis.client) return; // REDIS_URL unset: the in-memory list above is the store
      const rows = await redis.client.xrevrange(redis.key('audit'), '+', '-', 'COUNT', 1000);
      const stored = rows.map(([id, fields]) => ({ id, ...(JSON.parse(fields[1]) as Omit<AuditEntry, 'id'>) }));
      expect(stored.filter((entry) => entry.actor === 'alice').map((entry) => entry.details?.status)).toEqual([400, 409, 200]);
      expect(await auditEntries(token(['viewer']), 1000)).toEqual(stored);
    });

    it('needs a token to read, and bounds the limit', async () => {
      expect((await call('get', '/api/database/audit')).status).toBe(401);
      const response = await call('get', '/api/database/audit?limit=0', { token: token(['viewer']) });
      expect([response.status, response.body.message]).toEqual([400, 'limit must be an integer from 1 to 1000, got "0"']);
    });

    it('answers an unexpected failure with a generic 500, logs it redacted, and audits it', async () => {
      const response = await call('post', '/api/probe/mutate/crash', { token: token(['admin'], 'carol') });
      expect([response.status, response.body]).toEqual([500, { statusCode: 500, error: 'Internal Server Error', message: 'Internal server error' }]);
      expect(log.lines.some((line) => line.startsWith('error') && line.includes('POST /api/probe/mutate/crash failed: Error: lost postgresql://app:***@10.0.0.1:5432/app'))).toBe(true);
      const entry = await until(async () => (await auditEntries(token(['viewer']))).find((e) => e.actor === 'carol'));
      expect([entry.result, entry.details]).toEqual(['failure', { status: 500, error: 'Internal server error' }]);
    });
  });

  describe('hostile input: a 4xx with the JSON error shape', () => {
    const cases: [string, 'get' | 'post', string, string | object | undefined, number, string][] = [
      ['malformed JSON', 'post', '/api/probe/mutate/us-east', '{"target": ', 400, 'Malformed JSON body'],
      ['a JSON body cut short', 'post', '/api/probe/mutate/us-east', '{"target": "x"', 400, 'Malformed JSON body'],
      ['a bare JSON string', 'post', '/api/probe/mutate/us-east', '"us-east"', 400, 'Request body must be a JSON object'],
      ['an oversized body', 'post', '/api/probe/mutate/us-east', JSON.stringify({ target: 'x'.repeat(200_000) }), 413, 'Request body too large (limit 100kb)'],
      ['an unknown body field', 'post', '/api/probe/mutate/us-east', { target: 'x', evil: 1 }, 400, 'property evil should not exist'],
      ['a body field of the wrong type', 'post', '/api/probe/mutate/us-east', { target: ['x'] }, 400, 'target must be shorter than or equal to 64 characters; target must be a string'],
      ['a body field too long', 'post', '/api/probe/mutate/us-east', { target: 'x'.repeat(65) }, 400, 'target must be shorter than or equal to 64 characters'],
      ['an array body', 'post', '/api/probe/mutate/us-east', '[1, 2]', 400, 'Request body must be a JSON object'],
      ['a bad percent-encoding in the path', 'post', '/api/probe/mutate/%FF', undefined, 400, "Failed to decode param '%FF'"],
      ['limit -1', 'get', '/api/probe/items?limit=-1', undefined, 400, 'limit must be an integer from 1 to 1000, got "-1"'],
      ['limit 0', 'get', '/api/probe/items?limit=0', undefined, 400, 'limit must be an integer from 1 to 1000, got "0"'],
      ['limit 100000', 'get', '/api/probe/items?limit=100000', undefined, 400, 'limit must be an integer from 1 to 1000, got "100000"'],
      ['limit abc', 'get', '/api/probe/items?limit=abc', undefined, 400, 'limit must be an integer from 1 to 1000, got "abc"'],
      ['limit empty', 'get', '/api/probe/items?limit=', undefined, 400, 'limit must be an integer from 1 to 1000, got ""'],
      ['limit twice', 'get', '/api/probe/items?limit=1&limit=2', undefined, 400, 'limit must be an integer from 1 to 1000, got ["1","2"]'],
      ['an unknown query parameter', 'get', '/api/probe/items?limit=5&endpoint=x', undefined, 400, 'property endpoint should not exist'],
      ['an unknown route', 'get', '/api/probe/nope', undefined, 404, 'Cannot GET /api/probe/nope'],
    ];

    it.each(cases)('%s', async (_name, method, path, body, status, message) => {
      const response = await call(method, path, { token: token(['admin']), body });
      expect([response.status, response.body]).toEqual([status, { statusCode: status, error: expect.any(String), message }]);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
    });

    it('takes a good limit and defaults it', async () => {
      expect((await call('get', '/api/probe/items?limit=1000', { token: token(['viewer']) })).body).toEqual({ limit: 1000 });
      expect((await call('get', '/api/probe/items', { token: token(['viewer']) })).body).toEqual({ limit: 50 });
    });
  });

  describe('rate limit on mutating routes', () => {
    it(`allows ${RATE_LIMIT} mutating calls a minute per token subject, then answers 429 with Retry-After, and audits the refusal`, async () => {
      const flooder = token(['admin'], 'flooder');
      for (let i = 0; i < RATE_LIMIT; i++) expect((await call('post', '/api/probe/mutate/us-east', { token: flooder })).status).toBe(200);
      const refused = await call('post', '/api/probe/mutate/us-east', { token: flooder });
      expect(refused.status).toBe(429);
      expect(refused.body).toEqual({ statusCode: 429, error: 'Too Many Requests', message: expect.stringMatching(/^Too many mutating admin calls: the limit is 5 per minute; retry in \d+ s$/) });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      // Another subject is not affected, nor are reads by the same one.
      expect((await call('post', '/api/probe/mutate/us-east', { token: token(['admin']) })).status).toBe(200);
      expect((await call('get', '/api/probe/read', { token: flooder })).status).toBe(200);
      const refusal = await until(async () => (await auditEntries(token(['viewer']))).find((e) => e.actor === 'flooder' && e.result === 'failure'));
      expect(refusal.details).toMatchObject({ status: 429 });
    });
  });

  describe('OpenAPI', () => {
    it('serves the document with the guarded routes, their bearer security and error responses', async () => {
      const response = await call('get', '/api/docs-json');
      expect(response.status).toBe(200);
      const document = response.body as {
        components: { securitySchemes: Record<string, unknown> };
        paths: Record<string, Record<string, { security?: unknown; responses: Record<string, unknown>; parameters?: { name?: string; in?: string; $ref?: string }[] }>>;
      };
      expect(document.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
      const mutate = document.paths['/api/probe/mutate/{region}'].post;
      expect(mutate.security).toEqual([{ bearer: [] }]);
      expect(Object.keys(mutate.responses)).toEqual(expect.arrayContaining(['401', '403', '429']));
      expect(document.paths['/api/probe/read'].get.security).toEqual([{ bearer: [] }]);
      const audit = document.paths['/api/database/audit'].get;
      expect(audit.security).toEqual([{ bearer: [] }]);
      // Its own parameters (the headers every route shares are references to components).
      expect(audit.parameters?.filter((p) => !p.$ref).map((p) => [p.name, p.in])).toEqual([['limit', 'query']]);
      expect((await call('get', '/api/docs')).text).toContain('swagger');
    });
  });

  it('never answered or logged a token or a secret', () => {
    expect(sentTokens.length).toBeGreaterThan(40);
    const everything = [...answered, ...log.lines].join('\n');
    for (const secret of [SECRET, DB_PASSWORD, ...sentTokens]) expect(everything.includes(secret)).toBe(false);
    // The refusals were logged, without the tokens.
    expect(log.lines.some((line) => line.startsWith('warn') && line.includes('GET /api/probe/read from') && line.includes('Token signature is invalid'))).toBe(true);
  });
});

describe('admin API security (RS256)', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  const rs256: AuthSettings = { ...hs256, keys: { algorithm: 'RS256', publicKey, privateKey }, keySource: 'JWT_PUBLIC_KEY' };
  let app: INestApplication;

  beforeAll(async () => {
    app = await startApp(rs256, new CapturedLog());
  });
  afterAll(() => app.close());

  it('accepts tokens signed with the private key', async () => {
    const token = app.get(TokenService).sign({ sub: 'alice', roles: ['admin'] });
    const response = await request(app.getHttpServer()).get('/api/probe/admin-read').set('Authorization', `Bearer ${token}`);
    expect(response.status).toBe(200);
  });

  it('refuses an HS256 token keyed with the public key (algorithm confusion) and an HS256 token as such', async () => {
    const jwt = new JwtService();
    const options = { algorithm: 'HS256' as const, issuer: 'regional-db-router', audience: 'regional-db-router', subject: 'mallory', expiresIn: 600 };
    for (const secret of [publicKey, SECRET]) {
      const response = await request(app.getHttpServer()).get('/api/probe/read').set('Authorization', `Bearer ${jwt.sign({ roles: ['admin'] }, { ...options, secret })}`);
      expect([response.status, response.body.message]).toEqual([401, 'Token algorithm is not accepted']);
    }
  });
});

/** A genuine token whose payload claims admin: the signature no longer matches. */
function tamperedRoles(token: string): string {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  return [header, base64url({ ...claims, roles: ['admin'] }), signature].join('.');
}
