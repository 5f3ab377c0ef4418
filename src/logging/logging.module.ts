import { DynamicModule, Inject, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { pino, symbols, type DestinationStream, type Logger } from 'pino';
import { AppConfig, environmentOf } from '../config/settings.module';
import { AppLogger, ROOT_LOGGER } from './app-logger';
import { loggingSettings } from './logging.settings';
import { completionLoggerOptions, appLoggerOptions } from './log-options';
import { requestLogging } from './request-logging';
import { ShutdownLog } from './shutdown-log';

/** The root logger and the completion lines' logger (request-logging.ts). */
const LOGGERS = Symbol('LOGGERS');
type Loggers = { root: Logger; completion: Logger };

export interface LoggingOptions {
  /** Where the JSON lines go instead of stdout (tests capture them); pretty output is off then. */
  destination?: DestinationStream;
  /** Overrides LOG_LEVEL. */
  level?: string;
}

/**
 * The app's pino logger: `main.ts` makes `AppLogger` Nest's logger, so every `new Logger(Context)` in the
 * services writes JSON through it, and `requestLogging` gives each request its id and completion line.
 */
@Module({})
export class LoggingModule implements NestModule {
  static forRoot(options: LoggingOptions = {}): DynamicModule {
    return {
      module: LoggingModule,
      providers: [
        {
          provide: LOGGERS,
          inject: [ConfigService],
          useFactory: (config: AppConfig): Loggers => {
            const settings = loggingSettings({ ...environmentOf(config), ...(options.level ? { LOG_LEVEL: options.level } : {}) });
            const root = pino(appLoggerOptions(settings, settings.pretty && !options.destination), options.destination as DestinationStream);
            // The same stream (stdout, the pretty transport or the given destination): one order of lines.
            const stream = (root as unknown as Record<symbol, DestinationStream>)[symbols.streamSym];
            return { root, completion: pino(completionLoggerOptions(settings), stream) };
          },
        },
        { provide: ROOT_LOGGER, inject: [LOGGERS], useFactory: (loggers: Loggers) => loggers.root },
        AppLogger,
        ShutdownLog,
      ],
      exports: [AppLogger],
    };
  }

  constructor(@Inject(LOGGERS) private readonly loggers: Loggers) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(requestLogging(this.loggers.root, this.loggers.completion)).forRoutes({ path: '{/*splat}', method: RequestMethod.ALL });
  }
}
