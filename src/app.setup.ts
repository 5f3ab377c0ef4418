import { INestApplication, Logger } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { ConfigService } from '@nestjs/config';
import type { Express, Response } from 'express';
import helmet from 'helmet';
import { bodyLimit } from './common/body-limit';
import { HostileInputGuard } from './common/hostile-input.guard';
import { HttpErrorFilter } from './common/http-error.filter';
import { trustedProxies } from './common/trusted-proxies';
import {
  attachConsistencyToken,
  ConnectionRouterService,
  currentRequestContext,
  REGIONAL_DATABASE_SETTINGS,
  RegionalDatabaseSettings,
  validationPipe,
} from '@regional-db/nestjs';
import { environmentOf } from './config/settings.module';
import { setupOpenApi } from './openapi/openapi';

/** Everything main.ts applies to the application, shared with the e2e tests so they test the real thing. */
export function configureApp(app: INestApplication): INestApplication {
  const env = environmentOf(app.get(ConfigService));
  const limit = bodyLimit(env);
  const express = app as NestExpressApplication;
  // Client addresses (throttling, logs) come from X-Forwarded-For only when the connection is from a trusted proxy.
  express.set('trust proxy', trustedProxies(env.TRUSTED_PROXIES));
  express.disable('x-powered-by');
  // nosniff, no framing anywhere (the docs included), no referrer; routes with a page of their own set a stricter CSP.
  express.use(
    onceForAll(
      helmet({
        contentSecurityPolicy: { directives: { 'frame-ancestors': ["'none'"], 'upgrade-insecure-requests': null } },
        frameguard: { action: 'deny' },
        referrerPolicy: { policy: 'no-referrer' },
      }),
    ),
  );
  // Registered before init, these replace Nest's default parsers (it skips a parser that is already applied).
  express.useBodyParser('json', { limit });
  express.useBodyParser('urlencoded', { limit, extended: true });
  app.useGlobalGuards(new HostileInputGuard());
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new HttpErrorFilter(limit));
  // An application without the router (a test of its auth alone) writes nothing, so it has no token to send.
  const router = provided<ConnectionRouterService>(app, ConnectionRouterService);
  if (router) {
    const { ROUTER_CONSISTENCY_COOKIE_MAX_AGE_S } = app.get<RegionalDatabaseSettings>(REGIONAL_DATABASE_SETTINGS);
    sendConsistencyTokens(express, router, ROUTER_CONSISTENCY_COOKIE_MAX_AGE_S * 1000);
  }
  setupOpenApi(app);
  app.enableShutdownHooks();
  return app;
}

function provided<T>(app: INestApplication, token: abstract new (...args: never[]) => T): T | undefined {
  try {
    return app.get(token, { strict: false });
  } catch {
    return undefined;
  }
}

/**
 * helmet's headers worked out once and set as they are on every response: with these options they do not depend
 * on the request (no CSP nonce), and its chain of twelve middlewares cost about twice the setting alone.
 */
function onceForAll(helmetMiddleware: ReturnType<typeof helmet>): (req: unknown, res: Response, next: () => void) => void {
  const set: [string, string][] = [];
  const removed: string[] = [];
  const recorder = {
    setHeader: (name: string, value: string) => void set.push([name, value]),
    removeHeader: (name: string) => void removed.push(name),
  };
  let called = false;
  helmetMiddleware({} as never, recorder as never, () => (called = true));
  if (!called) throw new Error('helmet did not finish synchronously: its headers cannot be set once for all');
  return (_req, res, next) => {
    for (const [name, value] of set) res.setHeader(name, value);
    for (const name of removed) res.removeHeader(name);
    next();
  };
}

const TOKEN_PENDING = Symbol('consistency token pending');

/**
 * Read-your-writes (what `ConsistencyTokenInterceptor` does, without it): the response to a request that wrote
 * carries the written groups' primary positions (`X-Consistency-Token` and the cookie), error responses too (a
 * failed request may still have committed). Every body goes out through `send` (Nest's reply, the error
 * filter's `json`), so the app's own response prototype waits for the positions there. A global interceptor
 * instead puts every request through Nest's rxjs pipeline, 20 to 40 µs of CPU each, when most requests
 * write nothing: here that costs one look at the request context.
 */
function sendConsistencyTokens(app: NestExpressApplication, router: ConnectionRouterService, cookieMaxAgeMs: number): void {
  const response = (app.getHttpAdapter().getInstance() as Express).response;
  const send = response.send;
  const logger = new Logger('ConsistencyToken');
  response.send = function sendWithToken(this: Response & { [TOKEN_PENDING]?: true }, body?: unknown) {
    const context = currentRequestContext();
    if (context === undefined || context.wroteTo.size === 0 || this.headersSent || this[TOKEN_PENDING]) return send.call(this, body);
    this[TOKEN_PENDING] = true;
    attachConsistencyToken(router, this, context, cookieMaxAgeMs, logger)
      .then(() => send.call(this, body))
      .catch((error: unknown) => {
        // Never an unhandled rejection: the request fails as a send that threw would have.
        logger.error(error instanceof Error ? error : String(error));
        if (!this.headersSent) this.status(500).end();
        else this.destroy();
      });
    return this;
  } as typeof send;
}
