import { NotFoundException } from '@nestjs/common';

/** A region (or replication group) the topology does not have: 404 naming it and the known ones. */
export class UnknownRegionError extends NotFoundException {
  constructor(region: string, known: readonly string[]) {
    super(`Unknown region ${JSON.stringify(region.slice(0, 64))} (known: ${known.join(', ')})`);
  }
}
