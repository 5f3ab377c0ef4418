import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { TooManyRequestsError } from '../common/too-many-requests.error';
import { AuthenticatedUser } from './authenticated-user';
import { MutationRateLimiter } from './mutation-rate-limit';

/** A 429 with Retry-After once a caller (token subject, else IP) exceeds the mutating-call rate. Runs after JwtAuthGuard. */
@Injectable()
export class MutationRateLimitGuard implements CanActivate {
  constructor(private readonly limiter: MutationRateLimiter) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request & { user?: AuthenticatedUser }>();
    const caller = request.user ? `sub:${request.user.sub}` : `ip:${request.ip}`;
    const { allowed, retryAfterMs } = this.limiter.hit(caller);
    if (allowed) return true;
    throw new TooManyRequestsError(`Too many mutating admin calls: the limit is ${this.limiter.settings.limit} per minute`, retryAfterMs);
  }
}
