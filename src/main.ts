import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { InvalidSettingError, redactSecrets, TopologyConfigError } from '@regional-db/nestjs';
import { AppLogger } from './logging/app-logger';
import type { AppConfig } from './config/settings.module';

async function bootstrap(): Promise<void> {
  // Settings and topology are checked while the module graph is defined (SettingsModule), before any provider
  // exists: a bad one rejects here, as one line naming it, with nothing connected.
  // Start-up lines wait for the JSON logger; a start-up that fails prints its one line only (no flush).
  const app = await NestFactory.create(await AppModule.forRoot(), { abortOnError: false, bufferLogs: true, autoFlushLogs: false });
  app.useLogger(app.get(AppLogger));
  app.flushLogs();
  configureApp(app);
  const config: AppConfig = app.get(ConfigService);
  const [port, host] = [config.get('PORT', { infer: true }), config.get('HOST', { infer: true })];
  await app.listen(port, host);
  new Logger('Bootstrap').log(`listening on http://${host}:${port}`);
}

bootstrap().catch((error: unknown) => {
  // One clear line for a bad configuration; never a stack trace that could carry a connection string.
  const known = error instanceof TopologyConfigError || error instanceof InvalidSettingError;
  console.error(known ? error.message : redactSecrets(String((error as Error)?.stack ?? error)));
  process.exit(1);
});
