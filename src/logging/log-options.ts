import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerOptions, stdTimeFunctions } from 'pino';
import { requestLogs } from './app-logger';
import { LoggingSettings } from './logging.settings';
import { isError, maskSecrets, maskSecretsDeep } from './secret-masking';

// The app's pino options: its own lines, and the request completion lines `request-logging.ts` writes.

/** Structured secrets, wherever pino finds them: fields named like a credential (request headers are picked, below). */
export const REDACTED_PATHS = [
  'url',
  '*.url',
  'password',
  '*.password',
  'connectionString',
  '*.connectionString',
];

/** The request headers a line shows: picked, not copied (a request carries hundreds of bytes nobody reads in a log). */
const LOGGED_HEADERS = ['host', 'user-agent', 'x-region', 'x-forwarded-for', 'content-type', 'content-length'] as const;
/** Credentials: their presence is logged, never their value. */
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie'] as const;

function loggedHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of LOGGED_HEADERS) {
    const value = headers[name];
    if (typeof value === 'string') picked[name] = maskSecrets(value);
  }
  for (const name of CREDENTIAL_HEADERS) if (headers[name] !== undefined) picked[name] = '***';
  return picked;
}

export const pathOf = (url: string | undefined) => {
  const path = url ?? '';
  const query = path.indexOf('?');
  return query < 0 ? path : path.slice(0, query);
};

export interface LoggedRequest {
  id: string | undefined;
  method: string | undefined;
  path: string;
  headers: Record<string, string>;
  remoteAddress: string | undefined;
}

/**
 * The `req` field of a request's completion line: fields picked once, free text masked (the query string can
 * carry tokens: the path only), so the line needs no deep walk or redaction afterwards.
 */
export function loggedRequest(req: IncomingMessage & { originalUrl?: string }, id: string | undefined): LoggedRequest {
  return {
    id,
    method: req.method,
    path: maskSecrets(pathOf(req.originalUrl ?? req.url)),
    headers: loggedHeaders(req.headers),
    remoteAddress: req.socket?.remoteAddress,
  };
}

const base = {
  level: 'info',
  timestamp: stdTimeFunctions.isoTime,
  formatters: { level: (label: string) => ({ level: label }) },
} satisfies LoggerOptions;

const prettyTransport = { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } };

/**
 * The app's logger: JSON lines with an ISO time and a level label, and no secrets: `redact` for structured
 * fields, and every string logged (messages, fields, error messages and stacks) run through `maskSecrets`. A
 * request's lines carry its `requestId` (request-logging.ts).
 */
export function appLoggerOptions(settings: LoggingSettings, pretty = settings.pretty): LoggerOptions {
  return {
    ...base,
    level: settings.level,
    redact: { paths: REDACTED_PATHS, censor: '***' },
    hooks: {
      logMethod(args, method) {
        // An error alone (`pino.error(err)`) belongs under `err`, as AppLogger puts it.
        const [first, ...rest] = isError(args[0]) ? [{ err: args[0] }, ...args.slice(1)] : args;
        const masked = [maskSecretsDeep(first), ...rest.map((arg) => maskSecretsDeep(arg))];
        const error = (first as { err?: unknown } | null)?.err;
        if (isError(error) && typeof masked[1] !== 'string') masked.splice(1, 0, maskSecrets(error.message));
        method.apply(this, masked as Parameters<typeof method>);
      },
    },
    // pino's standard error serializer would re-type an error the hook has already masked into a plain object;
    // a request or response logged by some code gets the completion line's picked fields, never all its headers.
    serializers: {
      err: (err: unknown) => maskSecretsDeep(err),
      req: (req: IncomingMessage) => loggedRequest(req, requestLogs.getStore()?.id),
      res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
    },
    ...(pretty ? { transport: prettyTransport } : {}),
  };
}

/**
 * The completion line's logger, on the same stream: the same line format, without the masking hook, redaction
 * and serializers, because the line is built from fields already picked and masked (`loggedRequest`). A deep
 * walk and a redaction pass on every request's line was a tenth of a request's CPU.
 */
export function completionLoggerOptions(settings: LoggingSettings): LoggerOptions {
  return { ...base, level: settings.level, serializers: { err: (err: unknown) => err } };
}
