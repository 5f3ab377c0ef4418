import { ADMIN_API_ROLES } from '@regional-db/nestjs';
import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AuthenticatedUser } from './authenticated-user';
import { Role } from './roles';

/** Route metadata: the roles that may call the route (the admin API's key, shared). */
export const REQUIRED_ROLES = ADMIN_API_ROLES;

/** The authenticated user holds one of the roles the route names, or a 403. Runs after JwtAuthGuard. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, [context.getHandler(), context.getClass()]) ?? [];
    const user = context.switchToHttp().getRequest<Request & { user?: AuthenticatedUser }>().user;
    const problem = roleProblem(required, user?.roles ?? []);
    if (problem) throw new ForbiddenException(problem);
    return true;
  }
}

/** Why roles `granted` may not use a route requiring one of `required`, or undefined when they may. */
export function roleProblem(required: readonly Role[], granted: readonly Role[]): string | undefined {
  if (required.length === 0 || required.some((role) => granted.includes(role))) return undefined;
  const has = granted.length ? `the token has ${granted.join(', ')}` : 'the token has no role';
  return `This route requires the ${required.join(' or ')} role; ${has}`;
}
