import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { ConfigService } from '@nestjs/config';
import helmet from 'helmet';
import { bodyLimit } from './common/body-limit';
import { HostileInputGuard } from './common/hostile-input.guard';
import { HttpErrorFilter } from './common/http-error.filter';
import { trustedProxies } from './common/trusted-proxies';
import { validationPipe } from '@regional-db/nestjs';
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
    helmet({
      contentSecurityPolicy: { directives: { 'frame-ancestors': ["'none'"], 'upgrade-insecure-requests': null } },
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
    }),
  );
  // Registered before init, these replace Nest's default parsers (it skips a parser that is already applied).
  express.useBodyParser('json', { limit });
  express.useBodyParser('urlencoded', { limit, extended: true });
  app.useGlobalGuards(new HostileInputGuard());
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new HttpErrorFilter(limit));
  setupOpenApi(app);
  app.enableShutdownHooks();
  return app;
}
