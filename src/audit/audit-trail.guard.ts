import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { sentError } from '../common/http-error.filter';
import { AUDIT_ACTION, auditedCall, handlerReached } from './audit-trail';
import { AuditService } from './audit.service';
import { callOutcome } from './call-outcome';

/**
 * Never refuses. Placed right after JwtAuthGuard, it records the calls that the guards after it refuse (wrong
 * role, rate limit) once their error is sent; calls that reach the handler are recorded by AuditInterceptor.
 */
@Injectable()
export class AuditTrailGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const action = this.reflector.get<string | undefined>(AUDIT_ACTION, context.getHandler());
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    if (action) {
      response.once('finish', () => {
        if (handlerReached(request)) return;
        void this.audit.record(callOutcome(auditedCall(action, request), response.statusCode, sentError(response)?.message));
      });
    }
    return true;
  }
}
