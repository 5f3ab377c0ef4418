import {
  applyDecorators,
  CallHandler,
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  NestInterceptor,
  SetMetadata,
  Type,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import { ApiBearerAuth, ApiExtension, ApiForbiddenResponse, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import { defer, isObservable, lastValueFrom, mergeAll, Observable } from 'rxjs';
import { ErrorResponse } from '../common/error-response';

/** Route metadata: the roles that may call an admin route (`admin`, `viewer`), for the application's role guard. */
export const ADMIN_API_ROLES = 'regional-db:admin-roles';
/** Route metadata: a mutating admin route's action name (`failover`, `maintenance-pause`, ...), for audit trails. */
export const ADMIN_API_ACTION = 'regional-db:admin-action';

/**
 * How the application guards the admin API (`DatabaseAdminModule.forRoot({ access })`): its own guards for read
 * routes and for mutating ones, run in order (the first to refuse wins), and interceptors around mutations.
 * They are resolved from the application's providers, so they use its authentication, roles and audit trail;
 * they find the route's roles under `ADMIN_API_ROLES` and a mutation's action under `ADMIN_API_ACTION`.
 */
export interface AdminApiAccess {
  read: Type<CanActivate>[];
  mutation: Type<CanActivate>[];
  mutationInterceptors?: Type<NestInterceptor>[];
}

export const ADMIN_API_ACCESS = Symbol('ADMIN_API_ACCESS');

/** Resolves the application's guard or interceptor classes once, wherever they are provided. */
function resolver(moduleRef: ModuleRef) {
  const found = new Map<Type, unknown>();
  return async <T>(types: Type<T>[]): Promise<T[]> =>
    Promise.all(
      types.map(async (type) => {
        if (!found.has(type)) {
          let instance: unknown;
          try {
            instance = moduleRef.get(type, { strict: false });
          } catch {
            instance = await moduleRef.create(type);
          }
          found.set(type, instance);
        }
        return found.get(type) as T;
      }),
    );
}

/** Runs the application's guards for the route's kind: reads or mutations. */
@Injectable()
export class AdminApiGuard implements CanActivate {
  private readonly resolve: ReturnType<typeof resolver>;

  constructor(
    @Inject(ADMIN_API_ACCESS) private readonly access: AdminApiAccess,
    private readonly reflector: Reflector,
    moduleRef: ModuleRef,
  ) {
    this.resolve = resolver(moduleRef);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const mutation = this.reflector.get<string | undefined>(ADMIN_API_ACTION, context.getHandler()) !== undefined;
    for (const guard of await this.resolve(mutation ? this.access.mutation : this.access.read)) {
      const verdict = guard.canActivate(context);
      if (!(await (isObservable(verdict) ? lastValueFrom(verdict) : verdict))) throw new ForbiddenException('Not allowed to use this admin route');
    }
    return true;
  }
}

/** Wraps a mutation in the application's interceptors, outermost first. */
@Injectable()
export class AdminApiInterceptor implements NestInterceptor {
  private readonly resolve: ReturnType<typeof resolver>;

  constructor(
    @Inject(ADMIN_API_ACCESS) private readonly access: AdminApiAccess,
    moduleRef: ModuleRef,
  ) {
    this.resolve = resolver(moduleRef);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return defer(async () => {
      const interceptors = await this.resolve(this.access.mutationInterceptors ?? []);
      const chain = interceptors.reduceRight<CallHandler>(
        (inner, interceptor) => ({ handle: () => defer(async () => interceptor.intercept(context, inner)).pipe(mergeAll()) }),
        next,
      );
      return chain.handle();
    }).pipe(mergeAll());
  }
}

function guarded(roles: string[]) {
  return applyDecorators(
    SetMetadata(ADMIN_API_ROLES, roles),
    UseGuards(AdminApiGuard),
    ApiBearerAuth(),
    // OpenAPI 3.0 scopes belong to OAuth2 only: the roles a bearer token must hold are an extension.
    ApiExtension('x-required-roles', roles),
    ApiUnauthorizedResponse({ type: ErrorResponse, description: 'Missing, malformed, expired or wrongly signed bearer token' }),
    ApiForbiddenResponse({ type: ErrorResponse, description: `The token lacks the ${roles.join(' or ')} role` }),
  );
}

/** A read route of the admin API: the application's read guards (roles `admin` or `viewer`). */
export function AdminRead() {
  return guarded(['admin', 'viewer']);
}

/** A mutating admin route: the application's mutation guards (role `admin`) and interceptors, audited as `action`. */
export function AdminMutation(action: string) {
  return applyDecorators(
    guarded(['admin']),
    SetMetadata(ADMIN_API_ACTION, action),
    UseInterceptors(AdminApiInterceptor),
    ApiTooManyRequestsResponse({ type: ErrorResponse, description: 'Too many mutating calls (the application\'s rate limit)' }),
  );
}

/** Who calls an admin route, for records and pauses: the `sub` (or `id`) of the user the application's guards set. */
export const AdminCaller = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const user = context.switchToHttp().getRequest<Request & { user?: { sub?: unknown; id?: unknown } }>().user;
  const caller = user?.sub ?? user?.id;
  return typeof caller === 'string' && caller !== '' ? caller : 'anonymous';
});
