import { CanActivate, ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
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
    const seconds = Math.ceil(retryAfterMs / 1000);
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(seconds));
    const { limit } = this.limiter.settings;
    throw new HttpException(`Too many mutating admin calls: the limit is ${limit} per minute; retry in ${seconds} s`, HttpStatus.TOO_MANY_REQUESTS);
  }
}
