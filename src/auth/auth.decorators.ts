import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiForbiddenResponse, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import { AUDIT_ACTION } from '../audit/audit-trail';
import { AuditInterceptor } from '../audit/audit.interceptor';
import { AuditTrailGuard } from '../audit/audit-trail.guard';
import { ErrorResponse } from '@regional-db/nestjs';
import { AuthenticatedUser } from './authenticated-user';
import { JwtAuthGuard } from './jwt-auth.guard';
import { MutationRateLimitGuard } from './mutation-rate-limit.guard';
import { REQUIRED_ROLES, RolesGuard } from './roles.guard';
import { Role } from './roles';

function authenticated(roles: Role[]) {
  return applyDecorators(
    SetMetadata(REQUIRED_ROLES, roles),
    ApiBearerAuth(),
    // OpenAPI 3.0 scopes belong to OAuth2 only: the roles a bearer token must hold are an extension.
    ApiExtension('x-required-roles', roles),
    ApiUnauthorizedResponse({ type: ErrorResponse, description: 'Missing, malformed, expired or wrongly signed bearer token' }),
    ApiForbiddenResponse({ type: ErrorResponse, description: `The token lacks the ${roles.join(' or ')} role` }),
  );
}

/** A read route: any valid token with the `viewer` or `admin` role. */
export function ViewerOrAdmin() {
  return applyDecorators(authenticated(['admin', 'viewer']), UseGuards(JwtAuthGuard, RolesGuard));
}

/** A route only `admin` tokens may call, that changes nothing (a mutating one takes `@AdminMutation()`). */
export function AdminOnly() {
  return applyDecorators(authenticated(['admin']), UseGuards(JwtAuthGuard, RolesGuard));
}

/**
 * A mutating admin route: `admin` token, rate limited per token subject (429), and audited under `action`
 * with the subject as actor and the outcome, including calls refused for role or rate.
 */
export function AdminMutation(action: string) {
  return applyDecorators(
    authenticated(['admin']),
    SetMetadata(AUDIT_ACTION, action),
    // Order matters: the audit guard needs the subject (after JwtAuthGuard) and must see the refusals after it.
    UseGuards(JwtAuthGuard, AuditTrailGuard, RolesGuard, MutationRateLimitGuard),
    UseInterceptors(AuditInterceptor),
    ApiTooManyRequestsResponse({ type: ErrorResponse, description: 'More mutating calls than ADMIN_MUTATION_RATE_LIMIT per minute' }),
  );
}

/** The authenticated user of a guarded route: `@CurrentUser() user: AuthenticatedUser`. */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): AuthenticatedUser | undefined => {
  return context.switchToHttp().getRequest<Request & { user?: AuthenticatedUser }>().user;
});
