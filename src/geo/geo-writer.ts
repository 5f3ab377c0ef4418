import { applyDecorators, CanActivate, ExecutionContext, ForbiddenException, Injectable, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { ErrorResponse } from '@regional-db/nestjs';

/** Who writes a geo key: a user writes the keys they created, an admin any key (its new keys belong to no one). */
export interface GeoWriter {
  sub: string;
  admin: boolean;
}

/** Runs after JwtAuthGuard: a token with the `user` or `admin` role. */
@Injectable()
export class GeoWriterGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const { roles } = context.switchToHttp().getRequest<Request & { user: AuthenticatedUser }>().user;
    if (!roles.includes('user') && !roles.includes('admin')) throw new ForbiddenException('Writing geo keys requires the user or admin role');
    return true;
  }
}

export function geoWriterOf(user: AuthenticatedUser): GeoWriter {
  return { sub: user.sub, admin: user.roles.includes('admin') };
}

/** A geo write: a valid user or admin token. */
export function GeoWriterAuth() {
  return applyDecorators(
    UseGuards(JwtAuthGuard, GeoWriterGuard),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ type: ErrorResponse, description: 'Missing, invalid or expired token' }),
    ApiForbiddenResponse({ type: ErrorResponse, description: 'The token has neither the user nor the admin role, or the key belongs to another user' }),
  );
}
