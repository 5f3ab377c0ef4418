import { CallHandler, ExecutionContext, HttpException, HttpStatus, Injectable, NestInterceptor, RequestMethod } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { Observable, tap } from 'rxjs';
import { describeException } from '../common/describe-exception';
import { AUDIT_ACTION, auditedCall, markHandlerReached } from './audit-trail';
import { AuditService } from './audit.service';
import { callOutcome } from './call-outcome';

/** Records the outcome of an audited call that reached its handler, when the handler ends, whether or not the client still listens. */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const action = this.reflector.get<string | undefined>(AUDIT_ACTION, context.getHandler());
    if (!action) return next.handle();
    const request = context.switchToHttp().getRequest<Request>();
    markHandlerReached(request);
    const call = auditedCall(action, request);
    const successStatus =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? (request.method === RequestMethod[RequestMethod.POST] ? HttpStatus.CREATED : HttpStatus.OK);
    return next.handle().pipe(
      tap({
        complete: () => void this.audit.record(callOutcome(call, successStatus)),
        error: (error: unknown) => {
          const status = error instanceof HttpException ? error.getStatus() : HttpStatus.INTERNAL_SERVER_ERROR;
          void this.audit.record(callOutcome(call, status, describeException(error).message));
        },
      }),
    );
  }
}
