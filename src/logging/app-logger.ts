import { Inject, Injectable, LoggerService } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger, Level } from 'pino';

/** The app's root pino logger (LoggingModule). */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/**
 * The logging scope of one request: its id, and a child logger carrying it as `requestId`, made on the first
 * line logged (most requests log nothing but their completion line, which does not need one).
 */
export class RequestLog {
  private child: Logger | undefined;

  constructor(
    private readonly root: Logger,
    readonly id: string,
  ) {}

  get logger(): Logger {
    return (this.child ??= this.root.child({ requestId: this.id }));
  }
}

/** The request being served (request-logging.ts). */
export const requestLogs = new AsyncLocalStorage<RequestLog>();

/**
 * Nest's logger written through pino: every `new Logger(Context)` line becomes JSON with `context`, and inside a
 * request it goes through that request's logger, so it carries the `requestId`. An object message becomes
 * top-level fields; an Error goes under `err`.
 */
@Injectable()
export class AppLogger implements LoggerService {
  constructor(@Inject(ROOT_LOGGER) readonly root: Logger) {}

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
    const logger = requestLogs.getStore()?.logger ?? this.root;
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
