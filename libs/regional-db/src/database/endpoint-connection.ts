import { PrismaPg } from '@prisma/adapter-pg';
import { Pool, PoolConfig } from 'pg';
import { EndpointConfig, PoolSettings, SslMode } from '../config/topology.types';
import type { GlobalClient, PrismaClientClass, PrismaClientLike, RegionalClient } from './prisma-clients';

export interface PoolStats {
  size: number;
  inUse: number;
  idle: number;
  waiting: number;
  max: number;
}

/** Pool settings for one endpoint: bounded everywhere so a dead or hung server fails fast. */
export function poolConfig(url: string, settings: PoolSettings, ssl: SslMode, applicationName: string): PoolConfig {
  return {
    connectionString: url,
    max: settings.max,
    idleTimeoutMillis: settings.idleTimeoutMs,
    connectionTimeoutMillis: settings.connectTimeoutMs,
    // statement_timeout bounds the server; query_timeout bounds a server that no longer answers at all.
    statement_timeout: settings.statementTimeoutMs,
    query_timeout: settings.statementTimeoutMs + 2_000,
    keepAlive: true,
    application_name: applicationName,
    ssl: ssl === false ? undefined : { rejectUnauthorized: ssl === 'verify-full' },
  };
}

/**
 * One endpoint's `pg` pool and the Prisma client on it. `client` may be swapped (pool refresh); holders of
 * the connection object always see the current one.
 */
export class EndpointConnection<TClient extends PrismaClientLike = RegionalClient | GlobalClient> {
  private current: { pool: Pool; client: TClient };

  constructor(
    readonly endpoint: EndpointConfig,
    private readonly settings: PoolSettings,
    private readonly ssl: SslMode,
    private readonly applicationName: string,
    private readonly onPoolError: (endpoint: EndpointConfig, error: Error) => void,
    private readonly clientClass: PrismaClientClass,
  ) {
    this.current = this.open();
  }

  get client(): TClient {
    return this.current.client;
  }

  get pool(): Pool {
    return this.current.pool;
  }

  stats(): PoolStats {
    const pool = this.current.pool;
    return {
      size: pool.totalCount,
      inUse: pool.totalCount - pool.idleCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
      max: this.settings.max,
    };
  }

  /** New pool and client for new queries; the old pool closes once its in-flight queries are done. */
  async refresh(): Promise<void> {
    const old = this.current;
    this.current = this.open();
    await this.closeQuietly(old);
  }

  /**
   * New pool for new queries, and every connection of the old one cut now: queries in flight on a server
   * that stopped answering (a frozen former primary) fail at once instead of waiting for their timeout.
   */
  async abort(): Promise<void> {
    const old = this.current;
    this.current = this.open();
    for (const client of (old.pool as unknown as { _clients?: { connection?: { stream?: { destroy(): void } } }[] })._clients ?? []) {
      client.connection?.stream?.destroy();
    }
    await this.closeQuietly(old);
  }

  async close(): Promise<void> {
    await this.closeQuietly(this.current);
  }

  private open(): { pool: Pool; client: TClient } {
    const pool = new Pool(poolConfig(this.endpoint.url, this.settings, this.ssl, this.applicationName));
    // A connection dropped by the server must never crash the process: it is a health signal. The pool's
    // own 'error' covers idle clients only; a client checked out (a Prisma transaction, a query between
    // two round trips) emits on itself, and an unhandled 'error' there (57P01 when a postmaster dies) would
    // kill the process. The query in flight still fails and is reported by its caller.
    pool.on('error', () => undefined); // idle clients: already reported by their own listener below
    pool.on('connect', (client) => client.on('error', (error) => this.onPoolError(this.endpoint, error)));
    const adapter = new PrismaPg(pool);
    // 'minimal' errors: Prisma otherwise captures a call-site stack on every query (about 20 µs of CPU each).
    const options = { adapter, errorFormat: 'minimal' as const };
    return { pool, client: new this.clientClass(options) as TClient };
  }

  private async closeQuietly({ pool, client }: { pool: Pool; client: TClient }): Promise<void> {
    await client.$disconnect().catch(() => undefined);
    if (!pool.ended) await pool.end().catch(() => undefined);
  }
}
