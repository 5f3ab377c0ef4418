/**
 * The fields every routing and failover line carries, so an operator can filter by region or endpoint:
 *
 *   private readonly logger = new Logger(ConnectionRouter.name);
 *   this.logger.log({ msg: 'read routed to a replica', ...logFields('us-east', 'us-east-replica-1') });
 *
 * With the app's pino logger (AppLogger) an object message becomes top-level JSON fields next to `msg`,
 * `context` and the request's `requestId`. Never put an endpoint's URL in a line: use its id.
 */
export function logFields(region: string, endpointId: string): { region: string; endpoint: string } {
  return { region, endpoint: endpointId };
}
