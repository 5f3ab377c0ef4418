import { describe, expect, it } from '@jest/globals';
import type { PrismaClientLike } from '../database/prisma-clients';
import { requestContext } from '../request-context/request-context';
import { createRoutedClient, ModelShape, prismaCall, RoutedCall, RoutedQuery } from './routed-client';

const SHAPES: ModelShape[] = [
  { property: 'user', relations: [{ name: 'posts', target: 'post' }] },
  { property: 'post', relations: [{ name: 'user', target: 'user' }] },
];

function routed() {
  const dispatched: RoutedCall[] = [];
  const transactions: RoutedCall[] = [];
  const client = createRoutedClient<any>(
    SHAPES,
    (call) => (dispatched.push(call), Promise.resolve(`result of ${call.model}.${call.operation}`)),
    (call) => (transactions.push(call), Promise.resolve('committed')),
  );
  return { client, dispatched, transactions };
}

/** A stand-in for an endpoint's Prisma client that records the calls built on it. */
function recordingClient() {
  const built: string[] = [];
  const query = (label: string): any => ({
    label,
    posts: (args: unknown) => query(`${label}.posts(${JSON.stringify(args)})`),
    user: (args: unknown) => query(`${label}.user(${JSON.stringify(args)})`),
  });
  const delegate = (model: string) => new Proxy({}, { get: (_, op: string) => (args: unknown) => query(`${model}.${op}(${JSON.stringify(args)})`) });
  const client = {
    user: delegate('user'),
    post: delegate('post'),
    $queryRaw: (...args: unknown[]) => query(`$queryRaw(${args.length} args)`),
    $transaction: (work: unknown) => (built.push(Array.isArray(work) ? `batch[${work.map((q) => q.label).join(', ')}]` : 'interactive'), 'tx'),
  };
  return { client: client as unknown as PrismaClientLike, built };
}

describe('createRoutedClient', () => {
  it('runs a call when it is awaited, once, as Prisma does', async () => {
    const { client, dispatched } = routed();
    const query = client.user.findFirst({ where: { id: '1' } });
    expect(dispatched).toHaveLength(0);
    await expect(query).resolves.toBe('result of user.findFirst');
    await query;
    expect(dispatched).toEqual([expect.objectContaining({ model: 'user', operation: 'findFirst', args: { where: { id: '1' } }, chain: null })]);
  });

  it('keeps the request the call was made in, even when awaited outside it', async () => {
    const { client, dispatched } = routed();
    const context = { region: 'eu-west', regionSource: 'header' as const, readAfter: new Map(), wroteTo: new Set<string>() };
    const query = requestContext.run(context, () => client.user.count());
    await query;
    expect(dispatched[0].context).toBe(context);
  });

  it('offers the fluent relation API on operations returning one record, following the relation to its model', async () => {
    const { client, dispatched } = routed();
    await client.user.findUnique({ where: { id: '1' } }).posts({ take: 2 });
    await client.post.findFirst({}).user().posts();
    expect(dispatched.map((c) => c.chain)).toEqual([
      [{ relation: 'posts', args: { take: 2 } }],
      [{ relation: 'user', args: undefined }, { relation: 'posts', args: undefined }],
    ]);
    expect(client.user.findMany({}).posts).toBeUndefined();

    const { client: real } = recordingClient();
    expect((prismaCall(real, dispatched[0]) as any).label).toBe('user.findUnique({"where":{"id":"1"}}).posts({"take":2})');
  });

  it('hands a batch $transaction its calls unrun, and the endpoint builds them on its own client', async () => {
    const { client, dispatched, transactions } = routed();
    const batch = [client.user.create({ data: { username: 'a' } }), client.$queryRaw(['SELECT 1'])];
    await expect(client.$transaction(batch)).resolves.toBe('committed');
    expect(dispatched).toHaveLength(0);
    expect(transactions[0].operation).toBe('$transaction');

    const { client: real, built } = recordingClient();
    prismaCall(real, transactions[0]);
    expect(built).toEqual(['batch[user.create({"data":{"username":"a"}}), $queryRaw(1 args)]']);
  });

  it('refuses a batch holding something other than its calls, and anything that is not a batch or a function', () => {
    const { client } = routed();
    expect(() => client.$transaction([Promise.resolve(1)])).toThrow(/calls made on the same routed client/);
    expect(() => client.$transaction('BEGIN')).toThrow(TypeError);
    expect(client.user.findFirst()).toBeInstanceOf(RoutedQuery);
  });
});
