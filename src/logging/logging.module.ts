import { DynamicModule, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { NextFunction, Request, Response } from 'express';
import type { DestinationStream } from 'pino';
import { pinoHttp } from 'pino-http';
import { AppConfig, environmentOf } from '../config/settings.module';
import { AppLogger, HTTP_LOGGER, requestLogs } from './app-logger';
import { loggingSettings } from './logging.settings';
import { pinoHttpOptions } from './pino-http.options';
import { ShutdownLog } from './shutdown-log';

export interface LoggingOptions {
  /** Where the JSON lines go instead of stdout (tests capture them); pretty output is off then. */
  destination?: DestinationStream;
  /** Overrides LOG_LEVEL. */
  level?: string;
}

/**
 * The app's pino logger: `main.ts` makes `AppLogger` Nest's logger, so every `new Logger(Context)` in the
 * services writes JSON through it, and pino-http logs each request (one pino instance per application).
 */
@Module({})
export class LoggingModule implements NestModule {
  static forRoot(options: LoggingOptions = {}): DynamicModule {
    return {
      module: LoggingModule,
      providers: [
        {
          provide: HTTP_LOGGER,
          inject: [ConfigService],
          useFactory: (config: AppConfig) => {
            const settings = loggingSettings({ ...environmentOf(config), ...(options.level ? { LOG_LEVEL: options.level } : {}) });
            return pinoHttp(pinoHttpOptions(settings, settings.pretty && !options.destination), options.destination);
          },
        },
        AppLogger,
        ShutdownLog,
      ],
      exports: [AppLogger],
    };
  }

  constructor(private readonly app: AppLogger) {}

  configure(consumer: MiddlewareConsumer): void {
    const http = this.app.http;
    consumer
      .apply(http, (req: Request, _res: Response, next: NextFunction) => requestLogs.run(req.log, next))
      .forRoutes({ path: '{/*splat}', method: RequestMethod.ALL });
  }
}
