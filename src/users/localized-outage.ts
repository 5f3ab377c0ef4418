import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { isConnectionError } from '../health/connection-errors';
import { readReplicas } from '../probes/group-readiness';
import { GroupSnapshots } from '../probes/group-snapshots';
import { NoEndpointError } from '../router/no-endpoint.error';

/** A region's writes are down; its reads continue only while a replica serves them: other regions are unaffected. */
export class LocalizedOutageError extends ServiceUnavailableException {
  constructor(region: string, readsContinue: boolean) {
    super(
      readsContinue
        ? `Localized outage: region ${region} has no writable primary; reads continue from replicas`
        : `Localized outage: region ${region} has no writable primary and no replica serving reads`,
    );
  }
}

/** The write failed because the group has no primary, or it could not be reached (not because of the query). */
export function isPrimaryUnavailable(error: unknown): boolean {
  return error instanceof NoEndpointError || isConnectionError(error);
}

/** What a failed write in `region` tells the client: a localized outage when the primary is missing or unreachable. */
export function regionalWriteError(region: string, error: unknown, readsContinue: () => boolean): unknown {
  return isPrimaryUnavailable(error) ? new LocalizedOutageError(region, readsContinue()) : error;
}

/** regionalWriteError with whether reads continue taken from the health monitor's view of the region now. */
@Injectable()
export class RegionalWriteErrors {
  constructor(private readonly groups: GroupSnapshots) {}

  of(region: string, error: unknown): unknown {
    return regionalWriteError(region, error, () => readReplicas(this.groups.of(region), null).length > 0);
  }
}

/** The database constraint a Prisma write violated (`directory_pkey`), or null. */
export function violatedConstraint(error: unknown): string | null {
  const cause = (error as { meta?: { driverAdapterError?: { cause?: { constraint?: { index?: unknown } } } } } | null)?.meta
    ?.driverAdapterError?.cause;
  const index = cause?.constraint?.index;
  return typeof index === 'string' ? index : null;
}
