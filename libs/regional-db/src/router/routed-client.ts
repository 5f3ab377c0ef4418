import type { PrismaClientLike } from '../database/prisma-clients';
import { currentRequestContext, RequestContext } from '../request-context/request-context';

/**
 * One call made on a routed client, not yet run: `model` is the delegate's property (`user`) and `args` its one
 * argument; without a model, `operation` is a raw method (`$queryRaw`) or `$transaction` and `args` the call's
 * argument list. `chain` holds the fluent relation steps (`findUnique(...).posts(...)`).
 */
export interface RoutedCall {
  readonly model: string | undefined;
  readonly operation: string;
  readonly args: unknown;
  readonly chain: readonly FluentStep[] | null;
  /** The request the call was made in (routing runs later, when it is awaited, maybe outside that request's scope). */
  readonly context: RequestContext | undefined;
}

export interface FluentStep {
  readonly relation: string;
  readonly args: unknown;
}

export type Dispatch = (call: RoutedCall) => Promise<unknown>;

/** A model of the schema as the client names it (`User` -> `user`) and its relation fields with their target models. */
export interface ModelShape {
  readonly property: string;
  readonly relations: readonly { readonly name: string; readonly target: string }[];
}

const MODEL_OPERATIONS = [
  'findUnique', 'findUniqueOrThrow', 'findFirst', 'findFirstOrThrow', 'findMany', 'count', 'aggregate', 'groupBy',
  'create', 'createMany', 'createManyAndReturn', 'update', 'updateMany', 'updateManyAndReturn', 'upsert', 'delete', 'deleteMany',
] as const;
/** The operations Prisma gives the fluent relation API (they return one record). */
const FLUENT_OPERATIONS = new Set(['findUnique', 'findUniqueOrThrow', 'findFirst', 'findFirstOrThrow', 'create', 'update', 'upsert', 'delete']);
const RAW_OPERATIONS = ['$queryRaw', '$queryRawUnsafe', '$queryRawTyped', '$executeRaw', '$executeRawUnsafe'] as const;

/** The models of a Prisma client and their relations, from its runtime data model (what its own fluent API uses). */
export function modelShapes(client: PrismaClientLike): ModelShape[] {
  const models = (client as unknown as { _runtimeDataModel: { models: Record<string, { fields: { name: string; kind: string; type: string }[] }> } })._runtimeDataModel.models;
  return Object.entries(models).map(([name, model]) => ({
    property: lowerFirst(name),
    relations: model.fields.filter((f) => f.kind === 'object').map((f) => ({ name: f.name, target: lowerFirst(f.type) })),
  }));
}

/**
 * A call's result, run on first `then` as Prisma's own promises are: a batch `$transaction([...])` can take it
 * unrun, and a fluent step (`.posts()`) replaces the query instead of adding one.
 */
export class RoutedQuery implements PromiseLike<unknown>, RoutedCall {
  private running: Promise<unknown> | null = null;
  readonly context = currentRequestContext();

  constructor(
    protected readonly dispatch: Dispatch,
    readonly model: string | undefined,
    readonly operation: string,
    readonly args: unknown,
    readonly chain: readonly FluentStep[] | null,
  ) {}

  then<A = unknown, B = never>(onFulfilled?: ((value: unknown) => A | PromiseLike<A>) | null, onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
    return (this.running ??= this.start()).then(onFulfilled, onRejected);
  }

  catch<B = never>(onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<unknown> {
    return this.then(undefined, onRejected);
  }

  finally(onFinally?: (() => void) | null): Promise<unknown> {
    return (this.running ??= this.start()).finally(onFinally);
  }

  private start(): Promise<unknown> {
    try {
      return this.dispatch(this);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  get [Symbol.toStringTag](): string {
    return 'PrismaPromise';
  }
}

/**
 * An object with the Prisma client's query API (model delegates with the fluent relation API, raw queries,
 * interactive and batch `$transaction`) whose every call is handed to `dispatch` when awaited, which picks the
 * endpoint and runs it there on the real client. A plain object rather than `$extends({ query: {
 * $allOperations } })`: forwarding from an extended client runs Prisma's whole request pipeline twice
 * (measured: about 60 µs of CPU per query, a third of a `findFirst`), this costs about 1 µs. `transaction` runs
 * an interactive transaction's function or a batch's unrun calls on the primary.
 */
export function createRoutedClient<TClient>(models: readonly ModelShape[], dispatch: Dispatch, transaction: (call: RoutedCall) => Promise<unknown>): TClient {
  const queryClasses = fluentQueryClasses(models);
  const client: Record<string, unknown> = {};
  for (const { property } of models) {
    const Query = queryClasses.get(property)!;
    const delegate: Record<string, (args?: unknown) => RoutedQuery> = {};
    for (const operation of MODEL_OPERATIONS) {
      const Result = FLUENT_OPERATIONS.has(operation) ? Query : RoutedQuery;
      delegate[operation] = (args) => new Result(dispatch, property, operation, args, null);
    }
    client[property] = Object.freeze(delegate);
  }
  for (const operation of RAW_OPERATIONS) client[operation] = (...args: unknown[]) => new RoutedQuery(dispatch, undefined, operation, args, null);
  client.$transaction = (work: unknown, options?: unknown) => {
    if (Array.isArray(work) && !work.every((q) => q instanceof RoutedQuery)) {
      throw new TypeError('a batch $transaction takes calls made on the same routed client, not yet awaited');
    }
    if (typeof work !== 'function' && !Array.isArray(work)) throw new TypeError('$transaction takes a function or an array of queries');
    try {
      return transaction({ model: undefined, operation: '$transaction', args: [work, options], chain: null, context: currentRequestContext() });
    } catch (error) {
      return Promise.reject(error); // no primary: a rejection, as from Prisma's own $transaction
    }
  };
  return Object.freeze(client) as TClient;
}

/** Per model, a `RoutedQuery` class with one method per relation (`.posts(args)`), returning the target model's. */
function fluentQueryClasses(models: readonly ModelShape[]): Map<string, typeof RoutedQuery> {
  const classes = new Map<string, typeof RoutedQuery>(models.map((m) => [m.property, class extends RoutedQuery {}]));
  for (const { property, relations } of models) {
    const prototype = classes.get(property)!.prototype as unknown as Record<string, unknown>;
    for (const { name, target } of relations) {
      const Next = classes.get(target) ?? RoutedQuery;
      prototype[name] = function fluent(this: RoutedQuery, args?: unknown) {
        return new Next((this as unknown as { dispatch: Dispatch }).dispatch, this.model, this.operation, this.args, [...(this.chain ?? []), { relation: name, args }]);
      };
    }
  }
  return classes;
}

/** Builds the call on an endpoint's real client (unrun, as Prisma's own promises are until awaited). */
export function prismaCall(client: PrismaClientLike, call: RoutedCall): Promise<unknown> {
  const target = client as unknown as Record<string, any>;
  if (!call.model) {
    if (call.operation === '$transaction') {
      const [work, options] = call.args as [unknown, unknown];
      const batch = Array.isArray(work) ? work.map((q: RoutedCall) => prismaCall(client, q)) : work;
      return target.$transaction(batch, options);
    }
    return target[call.operation](...(call.args as unknown[]));
  }
  let query = modelOperation(client, call.model, call.operation)(call.args);
  if (call.chain) for (const step of call.chain) query = query[step.relation](step.args);
  return query;
}

type ModelOperation = (args: unknown) => any;
const modelOperations = new WeakMap<PrismaClientLike, Map<string, Map<string, ModelOperation>>>();

/**
 * `client[model][operation]`, looked up once per client: Prisma builds it anew on every access, through two
 * proxies and, for the operations with a fluent API, a copy of the model's fields per field (2 to 4 µs of CPU
 * a query, more than the routing itself). The function needs no `this` and captures its call site per call.
 */
function modelOperation(client: PrismaClientLike, model: string, operation: string): ModelOperation {
  let models = modelOperations.get(client);
  if (!models) modelOperations.set(client, (models = new Map()));
  let operations = models.get(model);
  if (!operations) models.set(model, (operations = new Map()));
  let run = operations.get(operation);
  if (!run) operations.set(operation, (run = (client as unknown as Record<string, Record<string, ModelOperation>>)[model][operation]));
  return run;
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}
