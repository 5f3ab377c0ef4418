import { ADMIN_API_ACTION } from '@regional-db/nestjs';
import type { Request } from 'express';
import { AuthenticatedUser } from '../auth/authenticated-user';
import { AuditedCall } from './call-outcome';

/** Route metadata: the action name a call to the route is recorded under (the admin API's key, shared). */
export const AUDIT_ACTION = ADMIN_API_ACTION;

/** Set on the request once the handler is reached: from then on AuditInterceptor, not AuditTrailGuard, records the call. */
const HANDLER_REACHED = Symbol('audit:handler-reached');

export function markHandlerReached(request: Request): void {
  (request as Request & { [HANDLER_REACHED]?: boolean })[HANDLER_REACHED] = true;
}

export function handlerReached(request: Request): boolean {
  return (request as Request & { [HANDLER_REACHED]?: boolean })[HANDLER_REACHED] === true;
}

export function auditedCall(action: string, request: Request): AuditedCall {
  return { action, user: request.user as AuthenticatedUser | undefined, params: { ...request.params } as Record<string, string>, body: request.body };
}
