import { INestApplication } from '@nestjs/common';

/** Everything main.ts applies to the application, shared with the e2e tests so they test the real thing. */
export function configureApp(app: INestApplication): INestApplication {
  app.enableShutdownHooks();
  return app;
}
