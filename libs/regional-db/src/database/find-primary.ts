import { Client } from 'pg';
import { ReplicationGroupConfig } from '../config/topology.types';

/**
 * The group's writable server, found by asking each one (the configured primary first): after a failover
 * the configured primary may be a replica or gone. Null when none answers as writable; `onMiss` hears why
 * each one was passed over (unreachable, or a replica), for a caller that reports it.
 */
export async function findWritablePrimary(group: ReplicationGroupConfig, connectTimeoutMs = 3_000, onMiss?: (endpointId: string, reason: string) => void) {
  for (const endpoint of [group.primary, ...group.replicas]) {
    const client = new Client({ connectionString: endpoint.url, connectionTimeoutMillis: connectTimeoutMs });
    client.on('error', () => undefined); // a server ending the session must not kill the process
    try {
      await client.connect();
      const { rows } = await client.query<{ recovery: boolean }>('SELECT pg_is_in_recovery() AS recovery');
      if (!rows[0].recovery) return endpoint;
      onMiss?.(endpoint.id, 'in recovery (a replica)');
    } catch (error) {
      // unreachable: try the next one
      onMiss?.(endpoint.id, (error as Error).message);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  return null;
}
