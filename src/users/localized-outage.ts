import { ServiceUnavailableException } from '@nestjs/common';
import { isConnectionError } from '../health/connection-errors';
import type { Coordination } from '../redis/redis.service';
import { NoEndpointError } from '../router/no-endpoint.error';

/**
 * A region's writes are down while its replicas still serve reads: other regions are unaffected. Without
 * coordination (Redis unreachable) no replica is promoted, and the client is told so rather than left waiting.
 */
export class LocalizedOutageError extends ServiceUnavailableException {
  constructor(region: string, coordination: Coordination = 'available') {
    const withheld = coordination === 'unavailable' ? '; failover is withheld until coordination (Redis) is reachable again' : '';
    super(`Localized outage: region ${region} has no writable primary${withheld}; reads continue from replicas`);
  }
}

/** The write failed because the group has no primary, or it could not be reached (not because of the query). */
export function isPrimaryUnavailable(error: unknown): boolean {
  return error instanceof NoEndpointError || isConnectionError(error);
}

/** What a failed write in `region` tells the client: a localized outage when the primary is missing or unreachable. */
export function regionalWriteError(region: string, error: unknown, coordination: Coordination): unknown {
  return isPrimaryUnavailable(error) ? new LocalizedOutageError(region, coordination) : error;
}

/** The database constraint a Prisma write violated (`directory_pkey`), or null. */
export function violatedConstraint(error: unknown): string | null {
  const cause = (error as { meta?: { driverAdapterError?: { cause?: { constraint?: { index?: unknown } } } } } | null)?.meta
    ?.driverAdapterError?.cause;
  const index = cause?.constraint?.index;
  return typeof index === 'string' ? index : null;
}
