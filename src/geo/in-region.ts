import { currentRequestContext, requestContext } from '@regional-db/nestjs';

/**
 * Runs `read` as if the request came from `region`, so that the router picks the replicas nearest to it. The
 * global group's `read()` takes no region: the request context's is the only way to say where the caller is.
 */
export function inRegion<T>(region: string, read: () => Promise<T>): Promise<T> {
  const current = currentRequestContext();
  return requestContext.run({ region, regionSource: 'header', readAfter: current?.readAfter ?? new Map(), wroteTo: new Set() }, read);
}
