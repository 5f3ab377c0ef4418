import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { InvalidSettingError } from './common/invalid-setting.error';
import { TopologyConfigError } from './config/topology-config.error';
import { loadTopology } from './config/topology.loader';
import { redactSecrets } from './config/redact';

async function bootstrap(): Promise<void> {
  // Validated before Nest starts, so a bad topology is one line naming the key, not a DI stack trace.
  const topology = loadTopology(process.env);
  const app = await NestFactory.create(AppModule.forRoot({ topology }), { abortOnError: false, bufferLogs: true });
  app.useLogger(app.get(PinoLogger));
  configureApp(app);
  const port = Number(process.env.PORT ?? 3000);
  await app.listen(port, process.env.HOST ?? '127.0.0.1');
  new Logger('Bootstrap').log(`listening on http://${process.env.HOST ?? '127.0.0.1'}:${port}`);
}

bootstrap().catch((error: unknown) => {
  // One clear line for a bad configuration; never a stack trace that could carry a connection string.
  const known = error instanceof TopologyConfigError || error instanceof InvalidSettingError;
  console.error(known ? error.message : redactSecrets(String((error as Error)?.stack ?? error)));
  process.exit(1);
});
