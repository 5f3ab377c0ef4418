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
