import { UnauthorizedException } from '@nestjs/common';
import { isRole, Role } from './roles';

/** Who made a request, from a verified token: `request.user` on a guarded route. */
export interface AuthenticatedUser {
  sub: string;
  roles: Role[];
  region?: string;
}

/** The user a verified token's claims describe; a token that is signed but not ours in shape is still a 401. */
export function authenticatedUser(payload: unknown): AuthenticatedUser {
  const claims = (payload ?? {}) as Record<string, unknown>;
  if (typeof claims.sub !== 'string' || claims.sub.trim() === '') throw new UnauthorizedException('Token has no subject (sub)');
  if (typeof claims.exp !== 'number') throw new UnauthorizedException('Token has no expiry (exp)');
  if (!Array.isArray(claims.roles)) throw new UnauthorizedException('Token roles claim must be an array');
  if (claims.region !== undefined && typeof claims.region !== 'string') throw new UnauthorizedException('Token region claim must be a string');
  // Roles this version does not know grant nothing.
  const user: AuthenticatedUser = { sub: claims.sub, roles: claims.roles.filter(isRole) };
  if (claims.region !== undefined) user.region = claims.region;
  return user;
}
