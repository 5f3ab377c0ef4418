import { Inject, Injectable, LoggerService } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger, Level } from 'pino';
import type { HttpLogger } from 'pino-http';

export const HTTP_LOGGER = Symbol('HTTP_LOGGER');

/** The logger of the request being served (pino-http's `req.log`, carrying its `requestId`). */
export const requestLogs = new AsyncLocalStorage<Logger>();

/**
 * Nest's logger written through pino: every `new Logger(Context)` line becomes JSON with `context`, and inside a
 * request it goes through that request's logger, so it carries the `requestId`. An object message becomes
 * top-level fields; an Error goes under `err`.
 */
@Injectable()
export class AppLogger implements LoggerService {
  constructor(@Inject(HTTP_LOGGER) readonly http: HttpLogger) {}

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  /** Nest's convention: the context is the last parameter; an error's stack, when given, comes before it. */
  private write(level: Level, message: unknown, params: unknown[]): void {
    const logger = requestLogs.getStore() ?? this.http.logger;
    const fields: Record<string, unknown> = params.length ? { context: params[params.length - 1] } : {};
    const rest = params.slice(0, -1);
    if (message instanceof Error) {
      logger[level]({ ...fields, err: message }, ...(rest as []));
    } else if (typeof message === 'object' && message !== null) {
      logger[level]({ ...fields, ...message }, ...(rest as []));
    } else if (level === 'error' && rest.length === 1 && typeof rest[0] === 'string' && /\n\s*at /.test(rest[0])) {
      // Nest's exception handlers call error(message, stack, context): one error, not a message and a stray string.
      const err = Object.assign(new Error(String(message)), { stack: rest[0] });
      logger[level]({ ...fields, err });
    } else {
      logger[level](fields, String(message), ...(rest as []));
    }
  }
}
