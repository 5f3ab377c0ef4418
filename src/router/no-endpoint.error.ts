import { ServiceUnavailableException } from '@nestjs/common';

/** Nothing can serve the query right now (the group has no primary, e.g. mid-failover, and no replica qualifies). */
export class NoEndpointError extends ServiceUnavailableException {
  constructor(group: string, kind: string) {
    super(`No endpoint of "${group}" can serve a ${kind} query now: the group has no primary and no replica qualifies`);
  }
}
