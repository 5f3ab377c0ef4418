import { ExecutionContext, HttpException, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { AuthenticatedUser } from './authenticated-user';
import { tokenRejectionMessage } from './token-rejection';

/** A valid bearer token or a 401 that says what is wrong with it. */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  private readonly logger = new Logger(JwtAuthGuard.name);

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    try {
      return (await super.canActivate(context)) as boolean;
    } catch (error) {
      if (error instanceof HttpException) throw error;
      // jsonwebtoken throws a TypeError of its own on a correctly signed payload that is not an object (`null`).
      throw this.rejected(context, new UnauthorizedException('Token payload must be a JSON object'));
    }
  }

  handleRequest<TUser = AuthenticatedUser>(error: unknown, user: TUser | false, info: unknown, context: ExecutionContext): TUser {
    if (user && !error) return user;
    throw this.rejected(context, error instanceof UnauthorizedException ? error : new UnauthorizedException(tokenRejectionMessage(info)));
  }

  private rejected(context: ExecutionContext, rejection: UnauthorizedException): UnauthorizedException {
    const request = context.switchToHttp().getRequest<Request>();
    this.logger.warn(`${request.method} ${request.path} from ${request.ip}: ${rejection.message}`);
    return rejection;
  }
}
