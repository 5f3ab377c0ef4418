// Issue 6's acceptance tests on the real admin routes of the whole application, on the shared topology:
// the route matrix (401/403/success), a hostile-input table, no secret in status or export, the OpenAPI
// document and the audit trail. No failover runs here: every call to `failover/:region` is refused before
// the failover starts (its success path is test/failover.e2e-spec.ts's subject).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { AuditEntry } from '../src/audit/audit-entry';
import { AUTH_SETTINGS, AuthSettings } from '../src/auth/auth.settings';
import { Role } from '../src/auth/roles';
import { TokenService } from '../src/auth/token.service';
import { allEndpoints, allGroups } from '../libs/regional-db/src/config/topology.types';
import { EndpointRegistry } from '../libs/regional-db/src/database/endpoint-registry';
import { RedisService } from '../libs/regional-db/src/redis/redis.service';
import { createTestApp, eventually } from './support/app';
import { testTopology } from './support/test-topology';
import { suitePrefix } from './support/suite';

const topology = testTopology();
/** Every password of the topology's real connection URLs: none may ever come back. */
const PASSWORDS = [...new Set(allEndpoints(topology).map((e) => decodeURIComponent(new URL(e.url).password)).filter(Boolean))];
const A_PRIMARY_URL = allGroups(topology)[0].primary.url;

type Method = 'get' | 'post';
type Credential = { role: Role } | { token: string } | { authorization: string } | 'none';

interface Call {
  method: Method;
  path: string;
  credential?: Credential;
  /** An object is sent as JSON; a string is sent as it is, with `contentType` (JSON by default). */
  body?: object | string;
  contentType?: string;
  headers?: Record<string, string>;
}

interface RouteCase {
  method: Method;
  path: string;
  /** Needs the admin role. */
  mutating: boolean;
  /** The role and body of a successful call, and its status; absent for failover (see the file comment). */
  success?: { role: Role; status: number; body?: object };
  body?: object;
}

/**
 * A body the validation pipe refuses, sent with every failover call: guards run before pipes, so should one
 * ever let a call through, the call ends in a 400, never in a failover of the shared topology.
 */
const REFUSED_FAILOVER_BODY = { targetEndpoint: 7 };

const ROUTES: RouteCase[] = [
  { method: 'get', path: '/api/database/status', mutating: false, success: { role: 'viewer', status: 200 } },
  { method: 'get', path: '/api/database/health', mutating: false, success: { role: 'viewer', status: 200 } },
  { method: 'get', path: '/api/database/alerts', mutating: false, success: { role: 'viewer', status: 200 } },
  { method: 'get', path: '/api/database/metrics', mutating: false, success: { role: 'viewer', status: 200 } },
  { method: 'get', path: '/api/database/failover-history', mutating: false, success: { role: 'viewer', status: 200 } },
  { method: 'get', path: '/api/database/performance', mutating: false, success: { role: 'viewer', status: 200 } },
  { method: 'get', path: '/api/database/connections', mutating: false, success: { role: 'viewer', status: 200 } },
  { method: 'get', path: '/api/database/export', mutating: false, success: { role: 'viewer', status: 200 } },
  { method: 'get', path: '/api/database/audit', mutating: false, success: { role: 'viewer', status: 200 } },
  { method: 'post', path: '/api/database/failover/us-east', mutating: true, body: REFUSED_FAILOVER_BODY },
  // Harmless on the shared topology: new pools for eu-west, its primary re-discovered.
  { method: 'post', path: '/api/database/reconnect/eu-west', mutating: true, success: { role: 'admin', status: 200 } },
  { method: 'post', path: '/api/database/health-check', mutating: true, success: { role: 'admin', status: 200 } },
  { method: 'post', path: '/api/database/connections/refresh', mutating: true, body: { group: 'eu-west' }, success: { role: 'admin', status: 200 } },
  { method: 'post', path: '/api/database/analyze-query', mutating: false, body: { query: 'SELECT 1' }, success: { role: 'viewer', status: 200 } },
];

/** The OpenAPI path of a matrix route (`/api/database/failover/{region}`). */
const openApiPath = (path: string) => path.replace(/\/(failover|reconnect)\/[^/]+$/, '/$1/{region}');

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

describe('admin API on the real routes (issue 6)', () => {
  let app: INestApplication;
  let settings: AuthSettings;
  const jwt = new JwtService();
  /** Every token sent, to prove none is ever echoed. */
  const sentTokens: string[] = [];
  /** Every response (headers and body) with the request text that produced it. */
  const answered: { sent: string; text: string; urlSentSoFar: boolean }[] = [];
  /** A connection string the client sent may come back masked later (in the audit log's record of its input). */
  let urlSentSoFar = false;

  const token = (role: Role, sub = `e2e-${role}`) => app.get(TokenService).sign({ sub, roles: [role] });
  /** A token with whatever claims and key, the way an attacker or a misconfigured issuer would make it. */
  const forged = (claims: object, options: { secret?: string; issuer?: string; audience?: string } = {}) => {
    const secret = settings.keys.algorithm === 'HS256' ? settings.keys.secret : 'unused';
    // A claim set to undefined is left out.
    const payload = JSON.parse(JSON.stringify({ sub: 'mallory', roles: ['admin'], exp: now() + 600, ...claims })) as object;
    return jwt.sign(payload, { secret: options.secret ?? secret, algorithm: 'HS256', issuer: options.issuer ?? settings.issuer, audience: options.audience ?? settings.audience });
  };

  async function call({ method, path, credential = 'none', body, contentType, headers = {} }: Call) {
    let test = request(app.getHttpServer())[method](path);
    let authorization: string | undefined;
    if (credential !== 'none') {
      const sent = 'role' in credential ? token(credential.role) : 'token' in credential ? credential.token : undefined;
      if (sent) sentTokens.push(sent);
      authorization = sent ? `Bearer ${sent}` : (credential as { authorization: string }).authorization;
      test = test.set('Authorization', authorization);
    }
    for (const [name, value] of Object.entries(headers)) test = test.set(name, value);
    if (typeof body === 'string') test = test.set('Content-Type', contentType ?? 'application/json').send(body);
    else if (body !== undefined) test = test.send(body);
    const response = await test;
    const sent = [path, authorization ?? '', JSON.stringify(headers), typeof body === 'string' ? body : JSON.stringify(body ?? '')].join('\n');
    urlSentSoFar ||= sent.includes('postgresql://');
    answered.push({ sent, text: `${JSON.stringify(response.headers)}\n${response.text}`, urlSentSoFar });
    return response;
  }

  /** What must never come back: topology passwords, the signing secret, any token sent, and a connection string the client did not send (of a database or a cache). */
  function leaks(text: string, clientSentUrl = false): string[] {
    const secret = settings.keys.algorithm === 'HS256' ? [settings.keys.secret] : [];
    const found = [...PASSWORDS, ...secret, ...sentTokens].filter((value) => text.includes(value)).map((value) => `${value.slice(0, 6)}...`);
    if (!clientSentUrl) found.push(...(text.match(/\b(postgres|postgresql|redis|rediss):\/\//g) ?? []));
    return found;
  }

  const redisPrefixBefore = process.env.REDIS_PREFIX;

  beforeAll(async () => {
    expect(PASSWORDS.length).toBeGreaterThan(0);
    // Redis keys of its own (audit stream, alert and failover history), so other suites' entries do not mix in.
    process.env.REDIS_PREFIX = suitePrefix('admin-api-e2e');
    app = await createTestApp();
    settings = app.get<AuthSettings>(AUTH_SETTINGS);
  });

  afterAll(async () => {
    const redis = app?.get(RedisService);
    const keys = (await redis?.client?.keys(`${redis.prefix}*`)) ?? [];
    if (keys.length) await redis!.client!.del(...keys);
    await app?.close();
    process.env.REDIS_PREFIX = redisPrefixBefore;
  });

  describe('route matrix', () => {
    const guarded = ROUTES.map((route) => [`${route.method.toUpperCase()} ${route.path}`, route] as const);
    const mutating = guarded.filter(([, route]) => route.mutating);
    const successful = guarded.filter(([, route]) => route.success);

    it.each(guarded)('%s: 401 without a token', async (_name, route) => {
      const response = await call({ ...route, credential: 'none' });
      expect([response.status, response.body]).toEqual([401, { statusCode: 401, error: 'Unauthorized', message: 'Missing bearer token (Authorization: Bearer <jwt>)' }]);
    });

    it.each(guarded)('%s: 401 with a garbage token', async (_name, route) => {
      const response = await call({ ...route, credential: { token: 'garbage.garbage.garbage' } });
      expect([response.status, response.body]).toEqual([401, { statusCode: 401, error: 'Unauthorized', message: 'Malformed token' }]);
    });

    it.each(mutating)('%s: 403 with a viewer token', async (_name, route) => {
      const response = await call({ ...route, credential: { role: 'viewer' } });
      expect([response.status, response.body]).toEqual([403, { statusCode: 403, error: 'Forbidden', message: 'This route requires the admin role; the token has viewer' }]);
    });

    it.each(successful)('%s: succeeds with the right role', async (_name, route) => {
      const { role, status, body } = route.success!;
      const response = await call({ ...route, body: body ?? route.body, credential: { role } });
      expect([response.status, response.headers['content-type']]).toEqual([status, expect.stringContaining('application/json')]);
      expect(response.body).toEqual(expect.any(Object));
      expect(leaks(response.text)).toEqual([]);
    });

    it('lets an admin read too', async () => {
      for (const route of ROUTES.filter((r) => !r.mutating)) expect([route.path, (await call({ ...route, credential: { role: 'admin' } })).status]).toEqual([route.path, 200]);
    });

    it.each([
      ['/health/live', 200],
      ['/health/ready', 200],
      ['/metrics', 200],
      ['/dashboard', 200],
      ['/api/docs-json', 200],
    ])('%s is public by design', async (path, status) => {
      const response = await call({ method: 'get', path });
      expect(response.status).toBe(status);
      expect(leaks(response.text)).toEqual([]);
    });
  });

  describe('hostile input', () => {
    type HostileCase = [name: string, call: () => Call, status: number, message: string | RegExp];
    const viewer = { role: 'viewer' } as const;
    const admin = { role: 'admin' } as const;
    const get = (path: string, credential: Credential = viewer, headers?: Record<string, string>): Call => ({ method: 'get', path, credential, headers });
    const post = (path: string, body?: object | string, credential: Credential = admin, contentType?: string): Call => ({ method: 'post', path, body, credential, contentType });
    const analyze = (body: object | string, contentType?: string) => post('/api/database/analyze-query', body, viewer, contentType);
    const limitMessage = (shown: string) => `limit must be an integer from 1 to 1000, got ${shown}`;

    const cases: HostileCase[] = [
      // Query strings: wrong types, bounds, repetition, unknown parameters.
      ['limit=abc', () => get('/api/database/alerts?limit=abc'), 400, limitMessage('"abc"')],
      ['limit=2.5', () => get('/api/database/alerts?limit=2.5'), 400, limitMessage('"2.5"')],
      ['limit given twice', () => get('/api/database/alerts?limit=1&limit=2'), 400, limitMessage('["1","2"]')],
      ['limit=-1', () => get('/api/database/failover-history?limit=-1'), 400, limitMessage('"-1"')],
      ['limit=0', () => get('/api/database/failover-history?limit=0'), 400, limitMessage('"0"')],
      ['offset=-1', () => get('/api/database/failover-history?offset=-1'), 400, 'offset must be an integer from 0 to 999999, got "-1"'],
      ['offset=abc', () => get('/api/database/failover-history?limit=5&offset=abc'), 400, 'offset must be an integer from 0 to 999999, got "abc"'],
      ['limit=1001', () => get('/api/database/metrics?limit=1001'), 400, limitMessage('"1001"')],
      ['limit=1e9', () => get('/api/database/audit?limit=1e9'), 400, limitMessage('"1e9"')],
      ['limit past 2^64', () => get('/api/database/alerts?limit=99999999999999999999'), 400, limitMessage('"99999999999999999999"')],
      ['limit empty', () => get('/api/database/audit?limit='), 400, limitMessage('""')],
      ['unknown query parameter on alerts', () => get('/api/database/alerts?severity=critical'), 400, 'property severity should not exist'],
      ['unknown query parameter on metrics', () => get('/api/database/metrics?endpoint=us-east-primary&verbose=true'), 400, 'property verbose should not exist'],
      ['unknown query parameter on audit', () => get('/api/database/audit?actor=root'), 400, 'property actor should not exist'],
      ['unknown query parameter on a route that takes none', () => get('/api/database/status?verbose=1'), 400, 'property verbose should not exist'],
      ['unknown query parameter on a mutating route', () => post('/api/database/failover/nowhere?force=true', {}), 400, 'property force should not exist'],
      ['endpoint given twice', () => get('/api/database/metrics?endpoint=us-east-primary&endpoint=eu-west-primary'), 400, 'endpoint must be given once, as an endpoint id'],
      ['SQL injection in the endpoint parameter', () => get(`/api/database/metrics?endpoint=${encodeURIComponent("' OR 1=1 --")}`), 404, `Unknown endpoint "' OR 1=1 --"`],
      // Bodies: unknown fields, wrong types, not an object, malformed, oversized.
      ['unknown field in analyze-query', () => analyze({ query: 'SELECT 1', extra: 1 }), 400, 'property extra should not exist'],
      ['unknown field in a failover body', () => post('/api/database/failover/nowhere', { targetEndpoint: 'x', admin: true }), 400, 'property admin should not exist'],
      ['a connection string as a field name', () => analyze({ query: 'SELECT 1', [A_PRIMARY_URL]: 1 }), 400, /^property postgresql:\/\/[^:]*:\*\*\*@.* should not exist$/],
      ['query is a number', () => analyze({ query: 42 }), 400, 'query must be a string of SQL'],
      ['query is null', () => analyze({ query: null }), 400, 'query must be a string of SQL'],
      ['query missing', () => analyze({}), 400, 'query must be a string of SQL'],
      ['group is an array', () => post('/api/database/connections/refresh', { group: [] }), 400, 'group must be a string'],
      ['unknown group to refresh', () => post('/api/database/connections/refresh', { group: 'mars' }), 404, 'Unknown region "mars"'],
      ['targetEndpoint is a number', () => post('/api/database/failover/nowhere', { targetEndpoint: 7 }), 400, 'targetEndpoint must be an endpoint id'],
      ['targetEndpoint is a connection string', () => post('/api/database/failover/nowhere', { targetEndpoint: A_PRIMARY_URL }), 400, 'targetEndpoint must be an endpoint id'],
      ['targetRegion is not a region name', () => post('/api/database/failover/nowhere', { targetRegion: 'EU WEST; DROP' }), 400, 'targetRegion must be a region name'],
      ['malformed JSON', () => analyze('{"query": "SELECT 1"'), 400, 'Malformed JSON body'],
      ['a JSON array as body', () => analyze('["SELECT 1"]'), 400, 'Request body must be a JSON object'],
      ['a JSON string as body', () => analyze('"SELECT 1"'), 400, 'Request body must be a JSON object'],
      ['a JSON number as body', () => analyze('42'), 400, 'Request body must be a JSON object'],
      ['JSON null as body', () => analyze('null'), 400, 'Request body must be a JSON object'],
      ['a JSON array as failover body', () => post('/api/database/failover/nowhere', '[]'), 400, 'Request body must be a JSON object'],
      ['a body that is not JSON', () => analyze('query=SELECT 1', 'text/plain'), 400, 'query must be a string of SQL'],
      ['an oversized body', () => analyze({ query: `SELECT '${'x'.repeat(150_000)}'` }), 413, 'Request body too large (limit 100kb)'],
      // SQL that does not parse is refused; SQL that does is only classified (below), never run.
      ["a quote-breaking injection", () => analyze({ query: "'; DROP TABLE users; --" }), 400, /^SQL does not parse: unterminated quoted string/],
      // Path parameters.
      ['unknown region to fail over', () => post('/api/database/failover/nowhere', {}), 404, /^Unknown region "nowhere" \(known: .*us-east/],
      ['unknown region to reconnect', () => post('/api/database/reconnect/mars'), 404, 'Unknown region "mars"'],
      ['region names are case-sensitive', () => post('/api/database/reconnect/US-EAST'), 404, 'Unknown region "US-EAST"'],
      ['SQL injection in the failover region', () => post("/api/database/failover/us-east';DROP TABLE users;--", {}), 404, `Unknown region "us-east';DROP TABLE users;--"`],
      ['path traversal in the reconnect region', () => post('/api/database/reconnect/..%2F..%2Fetc%2Fpasswd'), 404, 'Unknown region "../../etc/passwd"'],
      ['a badly percent-encoded region', () => post('/api/database/reconnect/%FF'), 400, "Failed to decode param '%FF'"],
      ['a very long region name', () => post(`/api/database/reconnect/${'r'.repeat(3_000)}`), 404, /^Unknown region "r+/],
      ['an unknown route', () => get('/api/database/passwords'), 404, 'Cannot GET /api/database/passwords'],
      ['the wrong method', () => post('/api/database/status'), 404, 'Cannot POST /api/database/status'],
      // The X-Region header.
      ['unknown region in X-Region', () => get('/api/database/status', viewer, { 'X-Region': 'mars' }), 400, 'Unknown region "mars" in X-Region header'],
      ['SQL injection in X-Region', () => get('/api/database/status', viewer, { 'X-Region': "us-east' OR '1'='1" }), 400, `Unknown region "us-east' or '1'='1" in X-Region header`],
      // Credentials.
      ['an expired token', () => get('/api/database/status', { token: forged({ exp: now() - 60 }) }), 401, 'Token expired'],
      ['a token signed with another secret', () => get('/api/database/status', { token: forged({}, { secret: `another-${randomUUID()}-secret` }) }), 401, 'Token signature is invalid'],
      ['an alg none token', () => get('/api/database/status', { token: `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: 'mallory', roles: ['admin'], exp: now() + 600 })}.` }), 401, 'Token algorithm is not accepted'],
      ['an alg none token on a mutating route', () => post('/api/database/failover/us-east', REFUSED_FAILOVER_BODY, { token: `${base64url({ alg: 'none' })}.${base64url({ sub: 'mallory', roles: ['admin'] })}.` }), 401, 'Token algorithm is not accepted'],
      ['a token from another issuer', () => get('/api/database/status', { token: forged({}, { issuer: 'someone-else' }) }), 401, 'Token issuer is not accepted'],
      ['a token for another audience', () => get('/api/database/status', { token: forged({}, { audience: 'another-api' }) }), 401, 'Token audience is not accepted'],
      ['a token whose roles are not a list', () => get('/api/database/status', { token: forged({ roles: 'admin' }) }), 401, 'Token roles claim must be an array'],
      [
        'a token in the query string',
        () => {
          const queryToken = token('admin');
          sentTokens.push(queryToken);
          return get(`/api/database/status?access_token=${queryToken}`, 'none');
        },
        401,
        'Missing bearer token',
      ],
      ['a Basic credential', () => get('/api/database/status', { authorization: 'Basic YWRtaW46YWRtaW4=' }), 401, 'Missing bearer token'],
      ['an empty bearer', () => get('/api/database/status', { authorization: 'Bearer ' }), 401, 'Missing bearer token'],
      ['a token with an unknown role', () => get('/api/database/status', { token: forged({ roles: ['root'] }) }), 403, 'This route requires the admin or viewer role; the token has no role'],
      ["an end user's token", () => get('/api/database/status', { token: token('user') }), 403, 'This route requires the admin or viewer role; the token has user'],
    ];

    it('has at least 40 refusals', () => expect(cases.length).toBeGreaterThanOrEqual(40));

    it.each(cases)('%s', async (_name, makeCall, status, message) => {
      const sent = makeCall();
      const response = await call(sent);
      expect([response.status, response.headers['content-type']]).toEqual([status, expect.stringContaining('application/json')]);
      expect(response.body).toEqual({ statusCode: status, error: expect.any(String), message: expect.any(String) });
      expect(response.body.message).toEqual(typeof message === 'string' ? expect.stringContaining(message) : expect.stringMatching(message));
      expect(leaks(response.text, answered.at(-1)!.sent.includes('postgresql://'))).toEqual([]);
    });

    it.each([
      ['SELECT 1; DROP TABLE users', 'primary'],
      ['SELECT pg_sleep(10)', 'replica'],
      ["SELECT id FROM users WHERE email = '' UNION SELECT usesysid FROM pg_user", 'replica'],
      ["SELECT * FROM users WHERE name = '' OR '1'='1'", 'replica'],
    ])('classifies, never runs, injection-shaped SQL: %s', async (query, routeTo) => {
      const response = await call(analyze({ query }));
      expect(response.status).toBe(200);
      expect(response.body).toEqual(expect.objectContaining({ query, routeTo, analysis: expect.objectContaining({ statementKinds: expect.any(Array) }) }));
    });

    it('left the users table in place', async () => {
      const primary = app.get(EndpointRegistry).get('us-east-primary');
      const { rows } = await primary.pool.query<{ table: string | null }>(`SELECT to_regclass('public.users')::text AS table`);
      expect(rows[0].table).not.toBeNull();
    });
  });

  describe('status and export', () => {
    it('status shows every group and endpoint, and no password', async () => {
      const response = await call({ method: 'get', path: '/api/database/status', credential: { role: 'viewer' } });
      expect(response.status).toBe(200);
      const groups = response.body.groups as { name: string; primary: string; epoch: number; endpoints: { id: string; server: string }[] }[];
      expect(groups.map((g) => g.name).sort()).toEqual(allGroups(topology).map((g) => g.name).sort());
      expect(groups.flatMap((g) => g.endpoints.map((e) => e.id)).sort()).toEqual(allEndpoints(topology).map((e) => e.id).sort());
      expect(leaks(response.text)).toEqual([]);
    });

    it('export is a timestamped JSON attachment with every section, and no password', async () => {
      const response = await call({ method: 'get', path: '/api/database/export', credential: { role: 'viewer' } });
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toContain('application/json');
      expect(response.headers['content-disposition']).toMatch(/^attachment; filename="database-report-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z\.json"$/);
      expect(Object.keys(response.body)).toEqual(expect.arrayContaining(['exportedAt', 'topology', 'status', 'healthHistory', 'alertHistory', 'failovers', 'routing']));
      expect(response.body.topology.regions.map((r: object) => Object.keys(r).sort())).toEqual(topology.regions.map(() => ['cache', 'location', 'name', 'priority']));
      const exported = (response.body.topology.groups as { endpoints: { id: string }[] }[]).flatMap((g) => g.endpoints.map((e) => e.id));
      expect(exported.sort()).toEqual(allEndpoints(topology).map((e) => e.id).sort());
      expect(leaks(response.text)).toEqual([]);
    });
  });

  describe('OpenAPI document', () => {
    type Operation = { security?: Record<string, string[]>[]; responses?: Record<string, { description?: unknown }>; parameters?: { name: string; in: string; required?: boolean }[]; requestBody?: unknown; operationId?: string };
    type Document = {
      openapi?: unknown;
      info?: { title?: unknown; version?: unknown };
      paths?: Record<string, Record<string, Operation>>;
      components?: { securitySchemes?: Record<string, unknown> };
      security?: Record<string, string[]>[];
    };
    let document: Document;

    beforeAll(async () => {
      const response = await call({ method: 'get', path: '/api/docs-json' });
      expect(response.status).toBe(200);
      document = response.body as Document;
    });

    it('is a structurally valid OpenAPI 3 document', () => {
      expect(openApiProblems(document)).toEqual([]);
    });

    it('lists every route with bearer security, its responses with an example, and parameters', () => {
      for (const route of ROUTES) {
        const operation = document.paths?.[openApiPath(route.path)]?.[route.method];
        expect([route.path, operation?.security]).toEqual([route.path, [{ bearer: [] }]]);
        expect([route.path, Object.keys(operation?.responses ?? {})]).toEqual([route.path, expect.arrayContaining([String(route.success?.status ?? 200), '401', '403'])]);
        // src/audit's route documents its answer by schema (with property examples) and not yet its 400.
        if (!route.path.endsWith('/audit')) expect([route.path, Object.keys(operation?.responses ?? {})]).toEqual([route.path, expect.arrayContaining(['400'])]);
        const success = operation?.responses?.[String(route.success?.status ?? 200)] as { content?: Record<string, { example?: unknown; schema?: unknown }> } | undefined;
        const json = success?.content?.['application/json'];
        expect([route.path, json?.example ?? json?.schema]).toEqual([route.path, expect.any(Object)]);
        if (route.mutating) expect([route.path, Object.keys(operation?.responses ?? {})]).toEqual([route.path, expect.arrayContaining(['429'])]);
      }
      // The route's own parameters (the headers every route shares are references to components).
      const parameters = (path: string, method: Method) => document.paths![path][method].parameters?.filter((p) => !('$ref' in p)).map((p) => `${p.in}:${p.name}${p.required ? '!' : ''}`).sort();
      expect(parameters('/api/database/failover/{region}', 'post')).toEqual(['path:region!']);
      expect(parameters('/api/database/reconnect/{region}', 'post')).toEqual(['path:region!']);
      for (const path of ['/api/database/failover/{region}', '/api/database/reconnect/{region}', '/api/database/metrics']) {
        expect([path, Object.keys(Object.values(document.paths![path])[0].responses ?? {})]).toEqual([path, expect.arrayContaining(['404'])]);
      }
      for (const path of ['/api/database/alerts', '/api/database/audit']) expect([path, parameters(path, 'get')]).toEqual([path, ['query:limit']]);
      expect(parameters('/api/database/failover-history', 'get')).toEqual(['query:limit', 'query:offset']);
      expect(parameters('/api/database/metrics', 'get')).toEqual(['query:endpoint', 'query:limit']);
      for (const path of ['/api/database/status', '/api/database/health', '/api/database/performance', '/api/database/connections', '/api/database/export']) {
        expect([path, parameters(path, 'get') ?? []]).toEqual([path, []]);
      }
      for (const [path, method] of [
        ['/api/database/failover/{region}', 'post'],
        ['/api/database/connections/refresh', 'post'],
        ['/api/database/analyze-query', 'post'],
      ] as const) {
        expect([path, document.paths![path][method].requestBody]).toEqual([path, expect.anything()]);
      }
      // Optional bodies: without one, failover picks the candidate and refresh takes every group.
      expect((document.paths!['/api/database/failover/{region}'].post.requestBody as { required?: boolean }).required).toBe(false);
      expect((document.paths!['/api/database/connections/refresh'].post.requestBody as { required?: boolean }).required).toBe(false);
    });
  });

  describe('status events', () => {
    it('pushes the status to a viewer as server-sent events; no token, no stream', async () => {
      const url = `${await app.getUrl()}/api/database/events`;
      expect((await fetch(url)).status).toBe(401);
      const stream = new AbortController();
      const response = await fetch(url, { headers: { Authorization: `Bearer ${token('viewer')}` }, signal: stream.signal });
      try {
        expect([response.status, response.headers.get('content-type')]).toEqual([200, expect.stringContaining('text/event-stream')]);
        const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
        let text = '';
        while (!text.includes('\n\n')) text += (await reader.read()).value ?? '';
        const data = JSON.parse(text.split('\n').find((line) => line.startsWith('data: '))!.slice(6));
        expect(data).toMatchObject({ systemHealth: expect.any(String), groups: expect.arrayContaining([expect.objectContaining({ name: 'us-east' })]) });
        expect(leaks(text)).toEqual([]);
      } finally {
        stream.abort();
      }
    });

    it('pages the failover history', async () => {
      const response = await call({ method: 'get', path: '/api/database/failover-history?limit=2&offset=1', credential: { role: 'viewer' } });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ failovers: expect.any(Array), total: expect.any(Number), offset: 1, coordination: expect.any(String) });
      expect(response.body.failovers.length).toBeLessThanOrEqual(2);
    });
  });

  describe('audit', () => {
    it('records a mutating call and a refused one with the token subject as actor and the result', async () => {
      const adminSub = `admin-api-${randomUUID().slice(0, 8)}`;
      const viewerSub = `viewer-api-${randomUUID().slice(0, 8)}`;
      const adminToken = app.get(TokenService).sign({ sub: adminSub, roles: ['admin'] });
      const viewerToken = app.get(TokenService).sign({ sub: viewerSub, roles: ['viewer'] });
      expect((await call({ method: 'post', path: '/api/database/health-check', credential: { token: adminToken } })).status).toBe(200);
      expect((await call({ method: 'post', path: '/api/database/reconnect/eu-west', credential: { token: viewerToken } })).status).toBe(403);

      const mine = await eventually(async () => {
        const response = await call({ method: 'get', path: '/api/database/audit?limit=200', credential: { token: viewerToken } });
        const entries = (response.body.entries as AuditEntry[]).filter((e) => e.actor === adminSub || e.actor === viewerSub);
        return entries.length === 2 ? entries : undefined;
      }, 5_000);
      expect(mine.map(({ actor, action, target, result, details }) => ({ actor, action, target, result, status: details?.status }))).toEqual([
        { actor: viewerSub, action: 'reconnect', target: 'eu-west', result: 'failure', status: 403 },
        { actor: adminSub, action: 'health-check', target: undefined, result: 'success', status: 200 },
      ]);
      expect(mine.every((e) => !Number.isNaN(Date.parse(e.at)))).toBe(true);
    });
  });

  it('never answered a password, the signing secret, a token, or a connection string it was not sent', () => {
    expect(answered.length).toBeGreaterThan(100);
    expect(answered.filter(({ text, urlSentSoFar }) => leaks(text, urlSentSoFar).length > 0).map(({ sent }) => sent.split('\n')[0])).toEqual([]);
  });
});

/**
 * What keeps `document` from being a usable OpenAPI 3 document, as far as this API's shape goes: version and
 * info, responses on every operation, path parameters declared and required, `$ref`s that resolve, security
 * requirements naming defined schemes, unique operation ids.
 */
function openApiProblems(document: Record<string, unknown> & { openapi?: unknown }): string[] {
  const problems: string[] = [];
  const doc = document as {
    openapi?: unknown;
    info?: { title?: unknown; version?: unknown };
    paths?: Record<string, Record<string, unknown>>;
    components?: { securitySchemes?: Record<string, unknown> };
    security?: unknown;
  };
  if (typeof doc.openapi !== 'string' || !/^3\.\d+\.\d+$/.test(doc.openapi)) problems.push(`openapi version ${JSON.stringify(doc.openapi)}`);
  if (typeof doc.info?.title !== 'string' || !doc.info.title) problems.push('info.title');
  if (typeof doc.info?.version !== 'string' || !doc.info.version) problems.push('info.version');
  if (!doc.paths || typeof doc.paths !== 'object') return [...problems, 'no paths'];

  const schemes = doc.components?.securitySchemes ?? {};
  const checkSecurity = (where: string, security: unknown) => {
    if (security === undefined) return;
    if (!Array.isArray(security)) return void problems.push(`${where}: security is not a list`);
    for (const requirement of security as Record<string, unknown>[]) {
      for (const name of Object.keys(requirement)) if (!(name in schemes)) problems.push(`${where}: security scheme "${name}" is not defined`);
    }
  };
  checkSecurity('document', doc.security);

  const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
  const operationIds = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!path.startsWith('/')) problems.push(`path ${path} does not start with /`);
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const [method, value] of Object.entries(item)) {
      if (!methods.includes(method)) continue;
      const where = `${method.toUpperCase()} ${path}`;
      const operation = value as { responses?: Record<string, { description?: unknown }>; parameters?: { name?: unknown; in?: unknown; required?: unknown }[]; operationId?: unknown; security?: unknown };
      const responses = Object.entries(operation.responses ?? {});
      if (responses.length === 0) problems.push(`${where}: no responses`);
      for (const [code, response] of responses) {
        if (!/^([1-5]\d\d|[1-5]XX|default)$/.test(code)) problems.push(`${where}: response key ${code}`);
        if (typeof response.description !== 'string') problems.push(`${where}: response ${code} has no description`);
      }
      // Shared parameters (the headers every route takes) are references to components.
      const parameters = (operation.parameters ?? []).map((p) => ('$ref' in p ? (resolvePointer(document, String(p.$ref)) as typeof p) : p));
      for (const p of parameters) {
        if (typeof p.name !== 'string' || !['query', 'header', 'path', 'cookie'].includes(String(p.in))) problems.push(`${where}: parameter ${JSON.stringify(p)}`);
        if (p.in === 'path' && (p.required !== true || !templated.includes(String(p.name)))) problems.push(`${where}: path parameter ${String(p.name)} not required or not in the path`);
      }
      for (const name of templated) if (!parameters.some((p) => p.in === 'path' && p.name === name)) problems.push(`${where}: path parameter ${name} undeclared`);
      if (operation.operationId !== undefined) {
        if (operationIds.has(String(operation.operationId))) problems.push(`${where}: duplicate operationId ${String(operation.operationId)}`);
        operationIds.add(String(operation.operationId));
      }
      checkSecurity(where, operation.security);
    }
  }

  const visit = (value: unknown, at: string) => {
    if (Array.isArray(value)) return value.forEach((item, i) => visit(item, `${at}/${i}`));
    if (!value || typeof value !== 'object') return;
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string' && resolvePointer(document, item) === undefined) problems.push(`${at}: $ref ${item} does not resolve`);
      visit(item, `${at}/${key}`);
    }
  };
  visit(document, '#');
  return problems;
}

/** The value a local `#/a/b` reference points at, undefined when it does not resolve (or is not local). */
function resolvePointer(document: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), document);
}
