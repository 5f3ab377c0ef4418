import type { AnyPrismaClient } from '../database/endpoint-connection';

/** Prisma operations that only read. Anything else (including operations added later) goes to the primary. */
const READ_OPERATIONS = new Set([
  'findUnique',
  'findUniqueOrThrow',
  'findFirst',
  'findFirstOrThrow',
  'findMany',
  'count',
  'aggregate',
  'groupBy',
  '$queryRaw',
  '$queryRawUnsafe',
  '$queryRawTyped',
]);

export function isReadOperation(operation: string): boolean {
  return READ_OPERATIONS.has(operation);
}

/**
 * Runs a routed call on an endpoint's real client: `model` is the delegate's property (`user`) and `args` its one
 * argument; without a model, `operation` is a raw method (`$queryRaw`) and `args` the call's argument list.
 */
export function runOperation(client: AnyPrismaClient, model: string | undefined, operation: string, args: unknown): Promise<unknown> {
  const target = client as unknown as Record<string, any>;
  return model ? target[model][operation](args) : target[operation](...(args as unknown[]));
}
