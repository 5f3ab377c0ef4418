// A small topology of its own (us-east: primary + 2 replicas, and a global primary) for the failover suites:
// failovers change who is primary, so each scenario starts from a fresh one instead of repairing the shared one.
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { loadTopologyFile } from '../../libs/regional-db/src/config/topology.loader';
import { migrateTopology } from '../../libs/regional-db/src/database/migrate-topology';
import type { Topology } from '../../libs/regional-db/src/config/topology.types';
import { ConnectionRouterService } from '../../libs/regional-db/src/router/connection-router.service';
import * as local from '../../tools/topology/local-topology';

/** `place`: another suite's own small topology (its folder under .local and its offset from the shared port base). */
export function failoverTopologyOptions(sync: string[] = [], place = { name: 'failover-topology', portOffset: 500 }): local.LocalTopologyOptions {
  return {
    dir: join(process.cwd(), '.local', place.name),
    portBase: Number(process.env.TEST_TOPOLOGY_PORT_BASE ?? 26000) + place.portOffset,
    small: true,
    sync,
    log: () => undefined,
  };
}

/** Down (whatever an earlier scenario left) and up again: a fresh us-east with its original primary. */
export async function freshFailoverTopology(options: local.LocalTopologyOptions): Promise<Topology> {
  await local.down(options);
  await local.up(options);
  const topology = loadTopologyFile(local.topologyFilePath(options));
  await migrateTopology(topology, process.cwd(), () => undefined);
  return topology;
}

export async function queryServer<T extends Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on('error', () => undefined); // a server that dies or is fenced mid-query must not kill the runner
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Writes numbered rows through the router as fast as it can; remembers which ones were acknowledged. */
export class WriteLoad {
  readonly acknowledged: number[] = [];
  readonly failures: string[] = [];
  private next = 0;
  private running = true;
  private readonly done: Promise<void>;
  readonly tag = randomUUID().slice(0, 8);

  constructor(app: INestApplication, region = 'us-east') {
    const router = app.get(ConnectionRouterService);
    this.done = (async () => {
      while (this.running) {
        const seq = this.next++;
        try {
          await router.write(region).user.create({ data: { username: `${this.tag}-${seq}`, email: `${seq}@load.test`, passwordHash: 'x' } });
          this.acknowledged.push(seq);
        } catch (error) {
          this.failures.push((error as Error).message.split('\n')[0]);
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    })();
  }

  ackedSince(count: number): boolean {
    return this.acknowledged.length > count;
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.done;
  }

  /** Acknowledged rows missing from the server at `url`. */
  async missingOn(url: string): Promise<number[]> {
    const rows = await queryServer<{ username: string }>(url, `SELECT username FROM users WHERE username LIKE $1`, [`${this.tag}-%`]);
    const present = new Set(rows.map((r) => Number(r.username.slice(this.tag.length + 1))));
    return this.acknowledged.filter((seq) => !present.has(seq));
  }
}
