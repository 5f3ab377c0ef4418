// The OpenAPI document (issue 15): `redocly lint` with the recommended rules finds nothing, and the real
// answers of every admin operation match their documented schemas, on the shared topology. Nothing here
// moves a primary (a failover answer is checked against its schema in its example only).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { INestApplication } from '@nestjs/common';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { AlertService } from '../libs/regional-db/src/alerts/alert.service';
import { bearer, createTestApp } from './support/app';
import { schemaProblems } from './support/openapi-schema';
import { closeApp, suitePrefix } from './support/suite';

const run = promisify(execFile);

type Responses = Record<string, { content?: Record<string, { schema?: object }>; headers?: Record<string, unknown> }>;
type Operation = { responses: Responses; security?: unknown[]; parameters?: { $ref?: string; name?: string }[]; 'x-required-roles'?: string[] };
type Document = { paths: Record<string, Record<string, Operation>>; components: Record<string, Record<string, unknown>> };

describe('OpenAPI document of the admin API', () => {
  const prefix = suitePrefix('openapi');
  const previousPrefix = process.env.REDIS_PREFIX;
  let app: INestApplication;
  let document: Document;

  beforeAll(async () => {
    process.env.REDIS_PREFIX = prefix;
    app = await createTestApp();
    document = (await request(app.getHttpServer()).get('/api/docs-json').expect(200)).body as Document;
  });
  afterAll(async () => {
    await closeApp(app, prefix);
    process.env.REDIS_PREFIX = previousPrefix;
  });

  it('passes redocly lint with the recommended rules: no error, no warning', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'openapi-lint-'));
    try {
      await writeFile(join(dir, 'openapi.json'), JSON.stringify(document));
      // In a directory of its own (no redocly.yaml to pick up), offline: no telemetry, no update check.
      const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
      const lint = await run(resolve('node_modules/.bin/redocly'), ['lint', '--extends=recommended', '--format=json', 'openapi.json'], { cwd: dir, env }).catch(
        (failed: { stdout: string; stderr: string }) => failed,
      );
      const report = JSON.parse(lint.stdout.slice(lint.stdout.indexOf('{'))) as { totals: { errors: number; warnings: number }; problems: { ruleId: string; location: { pointer: string }[] }[] };
      expect(report.problems.map((p) => `${p.ruleId} ${p.location[0]?.pointer}`)).toEqual([]);
      expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('every admin operation has a response schema, names its roles, and documents the shared headers', () => {
    const admin = Object.entries(document.paths).filter(([path]) => path.startsWith('/api/database'));
    expect(admin.length).toBeGreaterThanOrEqual(18);
    for (const [path, item] of admin) {
      for (const [method, operation] of Object.entries(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        const success = Object.entries(operation.responses).find(([status]) => status.startsWith('2'));
        // JSON, or the event stream's text/event-stream.
        const content = success?.[1].content ?? {};
        expect([where, Boolean((content['application/json'] ?? content['text/event-stream'])?.schema)]).toEqual([where, true]);
        expect([where, operation['x-required-roles']]).toEqual([where, expect.arrayContaining(['admin'])]);
        expect([where, operation.parameters?.map((p) => p.$ref).filter(Boolean)]).toEqual([where, expect.arrayContaining(['#/components/parameters/XRegion', '#/components/parameters/XRequestId'])]);
        expect([where, Object.keys(success![1].headers ?? {})]).toEqual([where, expect.arrayContaining(['X-Request-Id'])]);
        if (operation.responses['429']) expect([where, Object.keys(operation.responses['429'].headers ?? {})]).toEqual([where, expect.arrayContaining(['Retry-After'])]);
      }
    }
    expect(document.paths['/api/database/status'].get['x-required-roles']).toEqual(['admin', 'viewer']);
    expect(document.paths['/health/live'].get.security).toEqual([]);
  });

  it("the service's real answers match their documented schemas", async () => {
    const alert = await app.get(AlertService).raise('failover_failed', 'high', 'asia-pacific', 'openapi e2e');
    const calls: { method: 'get' | 'post'; path: string; doc: string; body?: object }[] = [
      ...['status', 'export', 'health', 'alerts', 'metrics', 'performance', 'failover-history', 'connections', 'maintenance', 'audit'].map((p) => ({ method: 'get' as const, path: `/api/database/${p}`, doc: `/api/database/${p}` })),
      { method: 'post', path: '/api/database/health-check', doc: '/api/database/health-check' },
      { method: 'post', path: '/api/database/reconnect/eu-west', doc: '/api/database/reconnect/{region}' },
      { method: 'post', path: '/api/database/connections/refresh', doc: '/api/database/connections/refresh', body: { group: 'eu-west' } },
      { method: 'post', path: '/api/database/analyze-query', doc: '/api/database/analyze-query', body: { query: 'SELECT count(*) FROM users' } },
      { method: 'post', path: '/api/database/maintenance/pause', doc: '/api/database/maintenance/pause', body: { group: 'eu-west', reason: 'openapi e2e' } },
      { method: 'post', path: '/api/database/maintenance/resume', doc: '/api/database/maintenance/resume', body: { group: 'eu-west' } },
      { method: 'post', path: `/api/database/alerts/${alert.id}/acknowledge`, doc: '/api/database/alerts/{id}/acknowledge' },
      { method: 'post', path: `/api/database/alerts/${alert.id}/silence`, doc: '/api/database/alerts/{id}/silence', body: { durationSeconds: 600 } },
      // An error answer has its schema too.
      { method: 'post', path: '/api/database/failover/mars', doc: '/api/database/failover/{region}', body: {} },
    ];
    try {
      for (const call of calls) {
        const response = await request(app.getHttpServer())[call.method](call.path).set('Authorization', bearer(app)).send(call.body ?? {});
        const documented = document.paths[call.doc]?.[call.method]?.responses[String(response.status)];
        const schema = documented?.content?.['application/json']?.schema;
        expect([call.path, response.status, Boolean(schema)]).toEqual([call.path, response.status, true]);
        expect([call.path, schemaProblems(response.body, schema!, document)]).toEqual([call.path, []]);
        expect([call.path, response.headers['x-request-id']]).toEqual([call.path, expect.any(String)]);
      }
    } finally {
      await app.get(AlertService).resolve(alert.key);
    }
  }, 120_000);
});
