import { applyDecorators, CanActivate, ExecutionContext, Injectable, SetMetadata, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import { ErrorResponse } from '@regional-db/nestjs';
import { Throttle } from './throttle.service';
import type { AddressLimited } from './throttle.settings';

const THROTTLED_ROUTE = 'throttledRoute';

/** Counts the request against its client address (`request.ip`: the connection's, or X-Forwarded-For behind a trusted proxy). */
@Injectable()
export class AddressThrottleGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly throttle: Throttle,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const route = this.reflector.get<AddressLimited>(THROTTLED_ROUTE, context.getHandler());
    const request = context.switchToHttp().getRequest<Request>();
    await this.throttle.hitAddress(route, request.ip ?? request.socket.remoteAddress ?? 'unknown');
    return true;
  }
}

/** Limits the route per client address (`THROTTLE_<ROUTE>_PER_ADDRESS` per `THROTTLE_WINDOW_SECONDS`): 429 + Retry-After. */
export function ThrottlePerAddress(route: AddressLimited) {
  return applyDecorators(
    SetMetadata(THROTTLED_ROUTE, route),
    UseGuards(AddressThrottleGuard),
    ApiTooManyRequestsResponse({ type: ErrorResponse, description: 'Too many requests from this client address; Retry-After says when to try again' }),
  );
}
