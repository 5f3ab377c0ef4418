import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { ConfigService } from '@nestjs/config';
import { bodyLimit } from './common/body-limit';
import { environmentOf } from './config/settings.module';
import { HttpErrorFilter } from './common/http-error.filter';
import { validationPipe } from './common/validation';
import { setupOpenApi } from './openapi/openapi';

/** Everything main.ts applies to the application, shared with the e2e tests so they test the real thing. */
export function configureApp(app: INestApplication): INestApplication {
  const limit = bodyLimit(environmentOf(app.get(ConfigService)));
  // Registered before init, these replace Nest's default parsers (it skips a parser that is already applied).
  const express = app as NestExpressApplication;
  express.useBodyParser('json', { limit });
  express.useBodyParser('urlencoded', { limit, extended: true });
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new HttpErrorFilter(limit));
  setupOpenApi(app);
  app.enableShutdownHooks();
  return app;
}
