import { AsyncLocalStorage } from 'node:async_hooks';

/** What one request carries for routing: the caller's region and its read-your-writes positions. */
export interface RequestContext {
  region: string;
  regionSource: 'header' | 'token' | 'default';
  /** Consistency tokens received with the request, per replication group (`group` -> WAL LSN). */
  readAfter: Map<string, string>;
  /** Groups this request wrote to: their primary's LSN is sent back after the response. */
  wroteTo: Set<string>;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

export function currentRequestContext(): RequestContext | undefined {
  return requestContext.getStore();
}
