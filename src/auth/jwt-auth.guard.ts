import { ExecutionContext, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { AuthenticatedUser } from './authenticated-user';
import { tokenRejectionMessage } from './token-rejection';

/** A valid bearer token or a 401 that says what is wrong with it. */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  private readonly logger = new Logger(JwtAuthGuard.name);

  handleRequest<TUser = AuthenticatedUser>(error: unknown, user: TUser | false, info: unknown, context: ExecutionContext): TUser {
    if (user && !error) return user;
    const rejection = error instanceof UnauthorizedException ? error : new UnauthorizedException(tokenRejectionMessage(info));
    const request = context.switchToHttp().getRequest<Request>();
    this.logger.warn(`${request.method} ${request.path} from ${request.ip}: ${rejection.message}`);
    throw rejection;
  }
}
