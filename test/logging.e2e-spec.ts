// The app's structured logs captured from a real HTTP server: JSON lines, a request id on each, and no
// password, token or cookie in any of them, whatever the code logs (messages, objects, errors).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, INestApplication, Logger as NestLogger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import request from 'supertest';
import { logFields } from '../libs/regional-db/src/logging/log-fields';
import { LoggingModule } from '../src/logging/logging.module';
import { SettingsModule } from '../src/config/settings.module';
import { testTopology } from './support/test-topology';
import { AppLogger } from '../src/logging/app-logger';

const PASSWORD = 'pg-Pa55word';
const URL_WITH_PASSWORD = `postgresql://app:${PASSWORD}@db-us-east:5432/app`;
// A JWT-looking token: header {"alg":"HS256","typ":"JWT"}, then payload and signature.
const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTQyIiwicm9sZSI6ImFkbWluIn0.c2lnbmF0dXJlLXNlY3JldA';
const COOKIE_VALUE = 'session-cookie-value-77';
const SECRETS = [PASSWORD, JWT, JWT.split('.')[1], JWT.split('.')[2], COOKIE_VALUE];

@Controller('probe')
class ProbeController {
  private readonly logger = new NestLogger('Router');

  @Get('route')
  route(): { ok: true } {
    this.logger.log(`connecting to ${URL_WITH_PASSWORD} for a caller with Bearer ${JWT}`);
    this.logger.log({ msg: 'read routed to a replica', ...logFields('us-east', 'us-east-replica-1') });
    this.logger.warn({ msg: 'endpoint details', endpoint: { id: 'us-east-primary', url: URL_WITH_PASSWORD }, password: PASSWORD });
    this.logger.debug(`repointing with host=db-us-east password='${PASSWORD}' application_name=r1 and token ${JWT}`);
    this.logger.error(new Error(`connect failed: ${URL_WITH_PASSWORD}`));
    return { ok: true };
  }

  @Get('fail')
  fail(): never {
    throw new Error(`query failed on ${URL_WITH_PASSWORD} (token ${JWT})`);
  }
}

/** Lines of the current test, and of the whole suite (start-up included). */
const lines: string[] = [];
const everyLine: string[] = [];
const capture = { write: (line: string) => void (lines.push(line), everyLine.push(line)) };

@Module({ imports: [SettingsModule.forRoot({ topology: testTopology() }), LoggingModule.forRoot({ destination: capture, level: 'debug' })], controllers: [ProbeController] })
class ProbeModule {}

const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

describe('structured logs', () => {
  let app: INestApplication;

  beforeAll(async () => {
    // As main.ts: Nest's own logger replaced by the pino one, start-up lines buffered until then.
    app = await NestFactory.create(ProbeModule, { bufferLogs: true });
    app.useLogger(app.get(AppLogger));
    await app.listen(0, '127.0.0.1');
    lines.length = 0;
  });
  afterAll(() => app.close());

  it('logs every line of a request as JSON with its request id, echoed in X-Request-Id', async () => {
    const response = await request(app.getHttpServer())
      .get('/probe/route?token=query-secret')
      .set('X-Request-Id', 'edge-4f2a9c')
      .set('Authorization', `Bearer ${JWT}`)
      .set('Cookie', `session=${COOKIE_VALUE}`)
      .expect(200);
    expect(response.headers['x-request-id']).toBe('edge-4f2a9c');

    const logged = records();
    expect(logged.map((r) => r.msg)).toEqual([
      expect.stringContaining('connecting to postgresql://app:***@db-us-east:5432/app for a caller with Bearer ***'),
      'read routed to a replica',
      'endpoint details',
      expect.stringContaining("password=*** application_name=r1 and token ***"),
      'connect failed: postgresql://app:***@db-us-east:5432/app',
      'request completed',
    ]);
    for (const record of logged) expect(record.requestId).toBe('edge-4f2a9c');
    expect(logged[1]).toMatchObject({ level: 'info', context: 'Router', region: 'us-east', endpoint: 'us-east-replica-1' });
    expect(logged[2]).toMatchObject({ level: 'warn', endpoint: { id: 'us-east-primary', url: '***' }, password: '***' });
    expect(logged[4]).toMatchObject({ level: 'error', err: { type: 'Error', message: 'connect failed: postgresql://app:***@db-us-east:5432/app' } });
    expect(logged[5]).toMatchObject({
      level: 'info',
      req: { id: 'edge-4f2a9c', method: 'GET', path: '/probe/route', headers: { authorization: '***', cookie: '***' } },
      res: { statusCode: 200 },
    });
    expect(lines.join('\n')).not.toContain('query-secret');
  });

  it('generates a request id when the caller sends none or an unusable one', async () => {
    for (const sent of [undefined, 'has spaces and <tags>', JWT]) {
      lines.length = 0;
      const call = request(app.getHttpServer()).get('/probe/route');
      const response = await (sent ? call.set('X-Request-Id', sent) : call).expect(200);
      const id = response.headers['x-request-id'];
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(new Set(records().map((r) => r.requestId))).toEqual(new Set([id]));
    }
  });

  it("logs a handler's failure at error level, its message masked", async () => {
    lines.length = 0;
    await request(app.getHttpServer()).get('/probe/fail').set('Authorization', `Bearer ${JWT}`).expect(500);
    const logged = records();
    expect(logged.length).toBeGreaterThanOrEqual(2);
    for (const record of logged) {
      expect(record.level).toBe('error');
      expect(typeof record.requestId).toBe('string');
    }
    expect(lines.join('\n')).toContain('query failed on postgresql://app:***@db-us-east:5432/app (token ***)');
  });

  it('never writes a password, token or cookie (every line of this suite)', async () => {
    await request(app.getHttpServer()).get('/probe/route').set('Authorization', `Bearer ${JWT}`).set('Cookie', `s=${COOKIE_VALUE}`).expect(200);
    expect(everyLine.length).toBeGreaterThan(lines.length);
    for (const line of everyLine) for (const secret of SECRETS) expect(line).not.toContain(secret);
  });
});
