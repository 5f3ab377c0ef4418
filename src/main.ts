import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { TopologyConfigError } from './config/topology-config.error';
import { redactSecrets } from './config/redact';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule.forRoot(), { abortOnError: false });
  configureApp(app);
  const port = Number(process.env.PORT ?? 3000);
  await app.listen(port, process.env.HOST ?? '127.0.0.1');
  new Logger('Bootstrap').log(`listening on http://${process.env.HOST ?? '127.0.0.1'}:${port}`);
}

bootstrap().catch((error: unknown) => {
  // One clear line for a bad configuration; never a stack trace that could carry a connection string.
  const message = error instanceof TopologyConfigError ? error.message : redactSecrets(String((error as Error)?.stack ?? error));
  console.error(message);
  process.exit(1);
});
