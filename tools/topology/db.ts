// Talking to one of our servers as `postgres` over 127.0.0.1, and telling it apart from someone else's.
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { sleep } from './options';

export interface ServerAddress {
  id: string;
  port: number;
  dataDir: string;
}

export type Probe =
  | { ok: true; inRecovery: boolean }
  | { ok: false; foreign: boolean; error: string };

function sameDir(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

async function closeQuietly(client: Client): Promise<void> {
  await Promise.race([client.end().catch(() => undefined), sleep(500)]);
  (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
}

/** Run `fn` on a connection to the server; throws when the port answers for another data folder. */
export async function withServer<T>(
  server: ServerAddress,
  fn: (client: Client) => Promise<T>,
  options: { timeoutMs?: number; database?: string } = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 3_000;
  const client = new Client({
    host: '127.0.0.1',
    port: server.port,
    user: 'postgres',
    database: options.database ?? 'postgres',
    connectionTimeoutMillis: timeoutMs,
    query_timeout: Math.max(timeoutMs, 30_000),
    application_name: 'local-topology',
    ssl: false,
  });
  client.on('error', () => undefined); // a server killed under us must not crash the process
  try {
    await client.connect();
    const { rows } = await client.query<{ dir: string }>("SELECT current_setting('data_directory') AS dir");
    if (!sameDir(rows[0].dir, server.dataDir)) {
      throw new ForeignServerError(server, rows[0].dir);
    }
    return await fn(client);
  } finally {
    await closeQuietly(client);
  }
}

export class ForeignServerError extends Error {
  constructor(server: ServerAddress, otherDir: string) {
    super(`port ${server.port} (${server.id}) is taken by another PostgreSQL server (data directory ${otherDir})`);
    this.name = 'ForeignServerError';
  }
}

export async function probe(server: ServerAddress, timeoutMs = 1_500): Promise<Probe> {
  try {
    const inRecovery = await withServer(
      server,
      async (c) => (await c.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r')).rows[0].r,
      { timeoutMs },
    );
    return { ok: true, inRecovery };
  } catch (error) {
    return { ok: false, foreign: error instanceof ForeignServerError, error: (error as Error).message };
  }
}

/** Poll with connections until the server answers (and, if asked, is in or out of recovery). */
export async function waitReady(
  server: ServerAddress,
  options: { timeoutMs?: number; inRecovery?: boolean } = {},
): Promise<boolean> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let last = 'no answer';
  for (let delay = 25; ; delay = Math.min(delay * 2, 250)) {
    const p = await probe(server, 1_000);
    if (p.ok) {
      if (options.inRecovery === undefined || p.inRecovery === options.inRecovery) return p.inRecovery;
      last = `pg_is_in_recovery() is ${p.inRecovery}`;
    } else if (p.foreign) {
      throw new Error(p.error);
    } else {
      last = p.error;
    }
    if (Date.now() > deadline) throw new Error(`${server.id} (port ${server.port}) not ready: ${last}`);
    await sleep(delay);
  }
}

/** A SQL string literal. */
export const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;
export const identifier = (text: string) => `"${text.replace(/"/g, '""')}"`;
