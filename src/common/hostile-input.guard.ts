import { BadRequestException, CanActivate, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { hostileInputProblem } from './hostile-input';

/**
 * Global, before any route guard, pipe or DTO: a body, query or path parameter that is too deep, carries a
 * NUL or an unpaired surrogate, or names a prototype is a 400 here, never a stack overflow or a 500 later.
 */
export class HostileInputGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const problem =
      hostileInputProblem(request.body, 'Request body') ??
      hostileInputProblem(request.query, 'Query string') ??
      hostileInputProblem(request.params, 'Path');
    if (problem) throw new BadRequestException(problem);
    return true;
  }
}
