import { DynamicModule, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AppConfig, environmentOf } from '../config/settings.module';
import { loggingSettings } from './logging.settings';
import { pinoHttpOptions } from './pino-http.options';

export interface LoggingOptions {
  /** Where the JSON lines go instead of stdout (tests capture them); pretty output is off then. */
  destination?: DestinationStream;
  /** Overrides LOG_LEVEL. */
  level?: string;
}

/**
 * The app's pino logger (nestjs-pino): `main.ts` makes it Nest's logger, so every `new Logger(Context)` in the
 * services writes JSON through it, and pino-http logs each request. nestjs-pino keeps ONE pino instance per
 * process, built by the first application that starts: a test that needs another destination needs another
 * process (jest gives each test file its own module registry, which is enough).
 */
@Module({})
export class LoggingModule {
  static forRoot(options: LoggingOptions = {}): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: AppConfig) => {
            const settings = loggingSettings({ ...environmentOf(config), ...(options.level ? { LOG_LEVEL: options.level } : {}) });
            const pino = pinoHttpOptions(settings, settings.pretty && !options.destination);
            return { pinoHttp: options.destination ? [pino, options.destination] : pino };
          },
        }),
      ],
    };
  }
}
