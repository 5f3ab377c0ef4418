import { AsyncResource } from 'node:async_hooks';

/**
 * The async context of the process outside any request, captured when this module loads (at start-up). Work
 * run in it, and every socket, timer and promise it creates, carries no request's logging context: lines it
 * logs later (a pool connection failing, a probe marking a server down, an alert) have no request id, instead
 * of the id of whichever request happened to open the connection or trigger the re-probe.
 */
const outsideRequests = new AsyncResource('background-work');

export function inBackground<T>(fn: () => T): T {
  return outsideRequests.runInAsyncScope(fn);
}
