import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { InjectTopology } from '../config/topology.module';
import { redactSecrets } from '../config/redact';
import { inBackground } from '../logging/background';
import { logFields } from '../logging/log-fields';
import { allEndpoints } from '../config/topology.types';
import type { EndpointConfig, Topology } from '../config/topology.types';
import { EndpointConnection } from './endpoint-connection';
import { InjectPrismaClients, type GlobalClient, type PrismaClientClasses, type RegionalClient } from './prisma-clients';
import { InstanceIdentity } from './instance-identity';
import { UnknownEndpointError } from './unknown-endpoint.error';

export interface ConnectionErrorEvent {
  endpointId: string;
  error: Error;
}

/**
 * Every endpoint's pool and Prisma client, created from the topology and closed on shutdown. Throws on an
 * unknown id so a typo never silently falls back to some other server.
 */
@Injectable()
export class EndpointRegistry implements OnApplicationShutdown {
  private readonly logger = new Logger(EndpointRegistry.name);
  private readonly connections = new Map<string, EndpointConnection>();
  /** Emits `connection-error` when an idle pooled connection breaks (server gone): a health signal. */
  readonly events = new EventEmitter();

  constructor(
    @InjectTopology() readonly topology: Topology,
    identity: InstanceIdentity,
    @InjectPrismaClients() clients: PrismaClientClasses,
  ) {
    if (topology.global && !clients.global) throw new Error('The topology has a global database: pass its Prisma client class (clients.global)');
    for (const endpoint of allEndpoints(topology)) {
      const group = endpoint.group === 'global' ? topology.global! : topology.groups.find((g) => g.name === endpoint.group)!;
      const clientClass = endpoint.group === 'global' ? clients.global! : clients.regional;
      this.connections.set(
        endpoint.id,
        new EndpointConnection(endpoint, topology.pool, group.ssl, identity.applicationName('router'), (e, error) => this.poolError(e, error), clientClass),
      );
    }
  }

  get(id: string): EndpointConnection {
    const connection = this.connections.get(id);
    if (!connection) throw new UnknownEndpointError(id, [...this.connections.keys()]);
    return connection;
  }

  has(id: string): boolean {
    return this.connections.has(id);
  }

  all(): EndpointConnection[] {
    return [...this.connections.values()];
  }

  /** An endpoint's own client, typed as the application's generated class (`RegionalDatabaseClients`). */
  regional(id: string): RegionalClient {
    return this.get(id).client as RegionalClient;
  }

  global(id: string): GlobalClient {
    return this.get(id).client as GlobalClient;
  }

  endpoint(id: string): EndpointConfig {
    return this.get(id).endpoint;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(
      this.all().map((c) =>
        c.close().catch((error) => this.logger.error(`closing ${c.endpoint.id}: ${redactSecrets(String(error))}`)),
      ),
    );
  }

  /** Outside any request: the connection failing was opened by some earlier request, this line is none of its. */
  private poolError(endpoint: EndpointConfig, error: Error): void {
    inBackground(() => {
      this.logger.warn({ msg: `idle connection to ${endpoint.id} failed: ${redactSecrets(error.message)}`, ...logFields(endpoint.region, endpoint.id) });
      this.events.emit('connection-error', { endpointId: endpoint.id, error } satisfies ConnectionErrorEvent);
    });
  }
}
