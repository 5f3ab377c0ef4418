import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Level, Logger } from 'pino';
import { RequestLog, requestLogs } from './app-logger';
import { loggedRequest, pathOf } from './log-options';
import { REQUEST_ID_HEADER, requestIdFor } from './request-id';
import { maskSecretsDeep } from './secret-masking';

const REQUEST_ID = REQUEST_ID_HEADER.toLowerCase();

/** Container and load-balancer probes (`/health/live`, `/health/ready`, `/health/groups/...`): a line every few seconds each. */
const isProbe = (req: IncomingMessage) => req.method === 'GET' && pathOf(req.url).startsWith('/health/');

/**
 * Per request: its id (the caller's `X-Request-Id` when valid, else a UUID; echoed back), every line logged while
 * serving it carrying that id (AppLogger reads `requestLogs`), and one completion line when the response ends:
 * `request completed` / `request aborted` / `request errored` with `req` (picked fields), `res: { statusCode }`,
 * `responseTime` (ms) and, for a failure, `err`; at error level for a 5xx, warn for a 4xx. Probes get no line.
 *
 * In place of pino-http, which did per request what is done here once or only when needed: two child loggers
 * and the request serializer run at the start of every request, and the completion line walked and redacted.
 */
export function requestLogging(root: Logger, completion: Logger) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    const id = requestIdFor(req.headers[REQUEST_ID]);
    res.setHeader(REQUEST_ID_HEADER, id);
    if (!isProbe(req)) {
      const started = Date.now();
      let logged = false;
      const complete = (err?: unknown) => {
        if (logged) return;
        logged = true;
        logCompletion(completion, req, res, id, Date.now() - started, err);
      };
      // 'close' follows 'finish' on every response (and comes alone when the client went away): one listener
      // tells both apart by `writableEnded`. 'error' too, as pino-http had it.
      res.on('close', complete);
      res.on('error', complete);
    }
    requestLogs.run(new RequestLog(root, id), next);
  };
}

function logCompletion(logger: Logger, req: IncomingMessage, res: ServerResponse, id: string, responseTime: number, err: unknown): void {
  const status = res.statusCode;
  const failed = err !== undefined || status >= 500;
  const level: Level = failed ? 'error' : status >= 400 ? 'warn' : 'info';
  if (!logger.isLevelEnabled(level)) return;
  const line: Record<string, unknown> = { requestId: id, req: loggedRequest(req, id), res: { statusCode: status } };
  if (failed) line.err = maskSecretsDeep(err ?? new Error(`failed with status code ${status}`));
  line.responseTime = responseTime;
  logger[level](line, failed ? 'request errored' : !req.readableAborted && res.writableEnded ? 'request completed' : 'request aborted');
}
