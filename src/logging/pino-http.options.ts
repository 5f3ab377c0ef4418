import type { IncomingMessage, ServerResponse } from 'node:http';
import { stdTimeFunctions } from 'pino';
import type { Options } from 'pino-http';
import { LoggingSettings } from './logging.settings';
import { REQUEST_ID_HEADER, requestIdFor } from './request-id';
import { isError, maskSecrets, maskSecretsDeep } from './secret-masking';

/** Structured secrets, wherever pino finds them: fields named like a credential (request headers are picked by the serializer). */
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

/** Container and load-balancer probes (`/health/live`, `/health/ready`, `/health/groups/...`): a line every few seconds each. */
const isProbe = (path: string) => path.startsWith('/health/');

const pathOf = (url: string | undefined) => (url ?? '').split('?')[0];

/**
 * pino-http's options: JSON lines with an ISO time and a level label, a `requestId` on every line logged
 * while serving a request (the caller's `X-Request-Id` when valid, echoed back), and no secrets: `redact`
 * for structured fields, and every string logged (messages, fields, error messages and stacks) run through
 * `maskSecrets`.
 */
export function pinoHttpOptions(settings: LoggingSettings, pretty = settings.pretty): Options {
  return {
    level: settings.level,
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
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
    // Our own serializers on the raw objects (pino-http's standard ones would re-type a masked error).
    wrapSerializers: false,
    serializers: {
      // Fields picked once per request, masked where free text: no deep walk over every header of every line.
      req: (req: IncomingMessage & { id?: unknown; originalUrl?: string }) => ({
        id: req.id,
        method: req.method,
        // The query string can carry tokens: the path only.
        path: maskSecrets(pathOf(req.originalUrl ?? req.url)),
        headers: loggedHeaders(req.headers),
        remoteAddress: req.socket?.remoteAddress,
      }),
      res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
      err: (err: unknown) => maskSecretsDeep(err),
    },
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const id = requestIdFor(req.headers[REQUEST_ID_HEADER.toLowerCase()]);
      res.setHeader(REQUEST_ID_HEADER, id);
      return id;
    },
    customAttributeKeys: { reqId: 'requestId' },
    // Lines logged while serving a request carry its id only; the completion line carries the request too.
    quietReqLogger: true,
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    autoLogging: { ignore: (req) => req.method === 'GET' && isProbe(pathOf(req.url)) },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } } : {}),
  };
}
