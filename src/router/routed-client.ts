import { Prisma as GlobalPrisma } from '../generated/global/client';
import { Prisma as RegionalPrisma } from '../generated/regional/client';

export type Dispatch = (model: string | undefined, operation: string, args: unknown) => Promise<unknown>;
export type RunTransaction = (fn: (tx: any) => Promise<unknown>, options?: unknown) => Promise<unknown>;

const MODEL_OPERATIONS = [
  'findUnique', 'findUniqueOrThrow', 'findFirst', 'findFirstOrThrow', 'findMany', 'count', 'aggregate', 'groupBy',
  'create', 'createMany', 'createManyAndReturn', 'update', 'updateMany', 'updateManyAndReturn', 'upsert', 'delete', 'deleteMany',
] as const;
const RAW_OPERATIONS = ['$queryRaw', '$queryRawUnsafe', '$queryRawTyped', '$executeRaw', '$executeRawUnsafe'] as const;

/** The model delegates of each schema, as the Prisma client names them (`User` -> `user`). */
export const MODEL_PROPERTIES = {
  regional: Object.values(RegionalPrisma.ModelName).map(lowerFirst),
  global: Object.values(GlobalPrisma.ModelName).map(lowerFirst),
};

/**
 * An object with the Prisma client's query API (model delegates, raw queries, interactive `$transaction`) whose
 * every call is handed to `dispatch`, which picks the endpoint per operation and runs it on that endpoint's real
 * client. A plain object rather than `$extends({ query: { $allOperations } })`: forwarding from an extended
 * client runs Prisma's whole request pipeline twice (measured: about 60 µs of CPU per query, a third of a
 * `findFirst`), this costs about 1 µs. Calls run when made and return plain promises (no fluent relation API,
 * no array-form `$transaction`: use `$transaction(async (tx) => ...)`).
 */
export function createRoutedClient<TClient>(models: readonly string[], dispatch: Dispatch, transaction: RunTransaction): TClient {
  const client: Record<string, unknown> = {};
  for (const model of models) {
    const delegate: Record<string, (args?: unknown) => Promise<unknown>> = {};
    for (const operation of MODEL_OPERATIONS) delegate[operation] = (args) => dispatch(model, operation, args);
    client[model] = Object.freeze(delegate);
  }
  for (const operation of RAW_OPERATIONS) client[operation] = (...args: unknown[]) => dispatch(undefined, operation, args);
  client.$transaction = (fn: unknown, options?: unknown) => {
    if (typeof fn !== 'function') {
      throw new TypeError('routed clients run interactive transactions only: use $transaction(async (tx) => ...) or router.transaction()');
    }
    return transaction(fn as (tx: any) => Promise<unknown>, options);
  };
  return Object.freeze(client) as TClient;
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}
