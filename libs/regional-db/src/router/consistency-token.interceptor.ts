import { CallHandler, ExecutionContext, Inject, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { Observable, catchError, from, mergeMap, of, throwError } from 'rxjs';
import { redactSecrets } from '../config/redact';
import { REGIONAL_DATABASE_SETTINGS, RegionalDatabaseSettings } from '../config/regional-database.settings';
import { currentRequestContext, RequestContext } from '../request-context/request-context';
import { ConnectionRouterService } from './connection-router.service';
import {
  CONSISTENCY_TOKEN_COOKIE,
  ConsistencyPositions,
  encodeConsistencyToken,
  mergeConsistencyPositions,
} from './consistency-token';

/**
 * Read-your-writes across requests: when a request wrote, its response carries the written groups' primary
 * positions (merged with what the client already had) in the `X-Consistency-Token` header and a cookie; the
 * request-context middleware reads them back on the client's next request. Also on error responses: a failed
 * request may still have committed a write.
 */
@Injectable()
export class ConsistencyTokenInterceptor implements NestInterceptor {
  private readonly logger = new Logger(ConsistencyTokenInterceptor.name);
  private readonly cookieMaxAgeMs: number;

  constructor(
    private readonly router: ConnectionRouterService,
    @Inject(REGIONAL_DATABASE_SETTINGS) settings: RegionalDatabaseSettings,
  ) {
    this.cookieMaxAgeMs = settings.ROUTER_CONSISTENCY_COOKIE_MAX_AGE_S * 1000;
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const response = context.switchToHttp().getResponse<Response>();
    const request = currentRequestContext();
    // Most requests write nothing: their response goes on at once, no promise in between.
    const wrote = () => request !== undefined && request.wroteTo.size > 0 && !response.headersSent;
    return next.handle().pipe(
      mergeMap((body) => (wrote() ? from(this.attachToken(response, request!).then(() => body)) : of(body))),
      catchError((error: unknown) => {
        const attached: Observable<unknown> = wrote() ? from(this.attachToken(response, request!)) : of(null);
        return attached.pipe(mergeMap(() => throwError(() => error)));
      }),
    );
  }

  private attachToken(response: Response, context: RequestContext): Promise<void> {
    return attachConsistencyToken(this.router, response, context, this.cookieMaxAgeMs, this.logger);
  }
}

/** The written groups' primary positions, merged with what the client had, on `response` (header and cookie). */
export async function attachConsistencyToken(
  router: ConnectionRouterService,
  response: Response,
  context: RequestContext,
  cookieMaxAgeMs: number,
  logger: Pick<Logger, 'warn'>,
): Promise<void> {
  const written: ConsistencyPositions = new Map();
  await Promise.all(
    [...context.wroteTo].map(async (group) => {
      try {
        written.set(group, await router.consistencyToken(group));
      } catch (error) {
        // No position (primary just became unreachable): the client keeps its old token for this group.
        logger.warn(`no consistency position for ${group}: ${redactSecrets(String((error as Error).message ?? error))}`);
      }
    }),
  );
  if (written.size === 0 || response.headersSent) return;
  const token = encodeConsistencyToken(mergeConsistencyPositions(context.readAfter, written));
  response.setHeader('X-Consistency-Token', token);
  response.cookie(CONSISTENCY_TOKEN_COOKIE, token, { httpOnly: true, sameSite: 'lax', path: '/', maxAge: cookieMaxAgeMs });
}
