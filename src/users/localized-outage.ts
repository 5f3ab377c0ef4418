import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { type Coordination, GroupSnapshots, isConnectionError, NoEndpointError, readReplicas, RedisService } from '@regional-db/nestjs';

/**
 * A region's writes are down: other regions are unaffected. The message says what is true: whether reads
 * continue (only while a replica serves them), and whether failover is withheld (Redis unreachable: no
 * replica is promoted), so the client is told rather than left waiting.
 */
export class LocalizedOutageError extends ServiceUnavailableException {
  constructor(region: string, readsContinue: boolean, coordination: Coordination = 'available') {
    const withheld = coordination === 'unavailable' ? '; failover is withheld until coordination (Redis) is reachable again' : '';
    const reads = readsContinue ? '; reads continue from replicas' : ' and no replica serving reads';
    super(`Localized outage: region ${region} has no writable primary${withheld}${reads}`);
  }
}

/** The write failed because the group has no primary, or it could not be reached (not because of the query). */
export function isPrimaryUnavailable(error: unknown): boolean {
  return error instanceof NoEndpointError || isConnectionError(error);
}

/** What a failed write in `region` tells the client: a localized outage when the primary is missing or unreachable. */
export function regionalWriteError(region: string, error: unknown, readsContinue: () => boolean, coordination: Coordination): unknown {
  return isPrimaryUnavailable(error) ? new LocalizedOutageError(region, readsContinue(), coordination) : error;
}

/** regionalWriteError from this instance's view now: the health monitor's replicas, the coordination store. */
@Injectable()
export class RegionalWriteErrors {
  constructor(
    private readonly groups: GroupSnapshots,
    private readonly redis: RedisService,
  ) {}

  of(region: string, error: unknown): unknown {
    return regionalWriteError(region, error, () => readReplicas(this.groups.of(region), null).length > 0, this.redis.coordination);
  }
}

/**
 * The unique constraint a Prisma write violated (`directory_pkey`), or null. Prisma 7.5's driver adapter error
 * gives the constraint's fields only, with PostgreSQL's SQLSTATE and message: the message names it (in the
 * servers' `lc_messages`, English by default).
 */
export function violatedConstraint(error: unknown): string | null {
  const cause = (error as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown; originalMessage?: unknown } } } } | null)?.meta
    ?.driverAdapterError?.cause;
  if (cause?.originalCode !== '23505' || typeof cause.originalMessage !== 'string') return null;
  return /unique constraint "([^"]+)"/.exec(cause.originalMessage)?.[1] ?? null;
}
