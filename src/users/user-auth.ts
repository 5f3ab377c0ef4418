import { applyDecorators, CanActivate, createParamDecorator, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import type { Role } from '../auth/roles';
import { ErrorResponse, InjectTopology, type Topology } from '@regional-db/nestjs';

/** The role of an end user's token. */
export const USER_ROLES: Role[] = ['user'];

/** The end user of a `@UserAuth()` route: their id and the home region their token names. */
export interface HomeUser {
  id: string;
  region: string;
}

type UserRequest = Request & { homeUser?: HomeUser };

/** Runs after JwtAuthGuard, which has verified the token: requires the `user` role and a known home region. */
@Injectable()
export class HomeUserGuard implements CanActivate {
  private readonly regions: string[];

  constructor(@InjectTopology() topology: Topology) {
    this.regions = topology.groups.map((g) => g.name);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<UserRequest & { user?: AuthenticatedUser }>();
    const { sub, roles, region } = request.user!;
    if (!roles.includes('user')) {
      throw new ForbiddenException(`This route requires the user role; ${roles.length ? `the token has ${roles.join(', ')}` : 'the token has no role'}`);
    }
    if (region === undefined || !this.regions.includes(region)) {
      throw new UnauthorizedException('Token has no known home region (region claim): log in again');
    }
    request.homeUser = { id: sub, region };
    return true;
  }
}

/** A route for end users: a valid token with the `user` role; `@CurrentHomeUser()` gives who and where. */
export function UserAuth() {
  return applyDecorators(
    UseGuards(JwtAuthGuard, HomeUserGuard),
    ApiBearerAuth(),
    ApiExtension('x-required-roles', ['user']),
    ApiUnauthorizedResponse({ type: ErrorResponse, description: 'Missing, invalid or expired token, or no home region in it' }),
    ApiForbiddenResponse({ type: ErrorResponse, description: 'The token lacks the user role' }),
  );
}

export const CurrentHomeUser = createParamDecorator((_data: unknown, context: ExecutionContext): HomeUser => {
  return context.switchToHttp().getRequest<UserRequest>().homeUser!;
});
