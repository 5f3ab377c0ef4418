import { ServiceUnavailableException } from '@nestjs/common';

/**
 * Nothing can serve the query right now: the group has no primary (mid-failover) and no replica qualifies, or
 * the last endpoint tried is unreachable (`unreachable`). A 503 naming the group: the client may retry.
 */
export class NoEndpointError extends ServiceUnavailableException {
  constructor(group: string, kind: string, unreachable?: string) {
    super(
      unreachable
        ? `No endpoint of "${group}" can serve this ${kind} now: ${unreachable} is unreachable`
        : `No endpoint of "${group}" can serve a ${kind} query now: the group has no primary and no replica qualifies`,
    );
  }
}

/**
 * The endpoint answered, but its database lacks the schema the query needs (Prisma's P2021/P2022): its group
 * has not been migrated yet (a region that came up after the migrate job). A 503 naming the group, not a 500.
 */
export class SchemaNotMigratedError extends ServiceUnavailableException {
  constructor(group: string, query: string, endpointId: string) {
    super(`"${group}" is not migrated yet: ${endpointId} lacks the table or column this ${query} needs; retry once its migrations have run`);
  }
}
