import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { randomUUID } from 'node:crypto';
import { AppModule } from '../src/app.module';
import { allGroups, Topology } from '../libs/regional-db/src/config/topology.types';
import { EndpointRegistry } from '../libs/regional-db/src/database/endpoint-registry';
import { migrateTopology } from '../libs/regional-db/src/database/migrate-topology';
import { createTestApp, eventually } from './support/app';
import { testTopology } from './support/test-topology';

async function sql<T extends Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  client.on('error', () => undefined); // a server ending the session must not kill the process
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

describe('foundation: the app on a real local topology', () => {
  let topology: Topology;
  let app: INestApplication;
  let registry: EndpointRegistry;

  beforeAll(async () => {
    topology = testTopology();
    app = await createTestApp();
    registry = app.get(EndpointRegistry);
  });
  afterAll(() => app.close());

  it('has three regions and a global database with the replicas the issue asks for', () => {
    expect(topology.groups.map((g) => [g.name, g.replicas.length])).toEqual([
      ['us-east', 2],
      ['eu-west', 1],
      ['asia-pacific', 1],
    ]);
    expect(topology.global?.replicas.map((r) => r.region)).toEqual(['eu-west', 'asia-pacific']);
  });

  it('gives every endpoint a Prisma client that answers, replicas in recovery', async () => {
    for (const connection of registry.all()) {
      const [row] = await connection.client.$queryRaw<{ recovery: boolean }[]>`SELECT pg_is_in_recovery() AS recovery`;
      expect([connection.endpoint.id, row.recovery]).toEqual([connection.endpoint.id, connection.endpoint.configuredRole === 'replica']);
    }
  });

  it('replicates a row written on each region primary to each of its replicas', async () => {
    for (const group of topology.groups) {
      const username = `repl-${group.name}-${randomUUID()}`;
      const primary = registry.regional(group.primary.id);
      const user = await primary.user.create({ data: { username, email: `${username}@example.com`, passwordHash: 'x' } });
      for (const replica of group.replicas) {
        const client = registry.regional(replica.id);
        const found = await eventually(() => client.user.findUnique({ where: { id: user.id } }), 10_000, 50);
        expect(found.username).toBe(username);
      }
      await primary.user.delete({ where: { id: user.id } });
    }
  });

  it('closes every pool on shutdown', async () => {
    const other = await createTestApp();
    const pools = other.get(EndpointRegistry).all().map((c) => c.pool);
    await other.get(EndpointRegistry).regional(topology.groups[0].primary.id).user.count();
    await other.close();
    expect(pools.every((p) => p.ended)).toBe(true);
  });
});

describe('migrations', () => {
  const snapshot = async (topology: Topology) => {
    const rows: unknown[] = [];
    for (const group of allGroups(topology)) {
      rows.push(
        await sql(group.primary.url, `SELECT migration_name, checksum, applied_steps_count, finished_at IS NOT NULL AS done FROM "_prisma_migrations" ORDER BY migration_name`),
        await sql(group.primary.url, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`),
      );
    }
    return rows;
  };

  it('run twice leave the same state, recorded as prisma migrate deploy records them', async () => {
    const topology = testTopology();
    const lines: string[] = [];
    const before = await snapshot(topology);
    await migrateTopology(topology, process.cwd(), (l) => lines.push(l));
    await migrateTopology(topology, process.cwd(), (l) => lines.push(l));
    expect(await snapshot(topology)).toEqual(before);
    const count = (kind: string) => readdirSync(join('prisma', kind, 'migrations'), { withFileTypes: true }).filter((d) => d.isDirectory()).length;
    for (const group of allGroups(topology)) {
      const expected = count(group.kind);
      expect(lines.filter((l) => l.startsWith(`${group.name}: `) && l.includes(`applied 0, already applied ${expected} `))).toHaveLength(2);
    }
    expect(lines.join('\n')).not.toMatch(/:\/\/[^@\s]*:[^@\s*]+@/);
    const [usEast] = await sql<{ tables: string[] }>(topology.groups[0].primary.url, `SELECT array_agg(table_name::text ORDER BY table_name) AS tables FROM information_schema.tables WHERE table_schema='public'`);
    expect(usEast.tables).toEqual(['_prisma_migrations', '_router_heartbeat', 'posts', 'users']);
  });
});

describe('a bad topology fails start-up with one line naming the key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bad-topology-'));
  const write = (name: string, body: unknown) => {
    const file = join(dir, name);
    writeFileSync(file, typeof body === 'string' ? body : JSON.stringify(body));
    return file;
  };
  const good = () => JSON.parse(readFileSync(process.env.TOPOLOGY_FILE!, 'utf8'));

  const cases: [string, (t: any) => unknown, string][] = [
    ['unknown key', (t) => ((t.regions['us-east'].replicaz = []), t), 'regions.us-east.replicaz: unknown key'],
    ['missing primary', (t) => (delete t.regions['eu-west'].primary, t), 'regions.eu-west.primary: is required'],
    ['bad URL', (t) => ((t.regions['eu-west'].primary.url = 'postgres//nope'), t), 'regions.eu-west.primary.url: is not a valid URL'],
    ['duplicate endpoint id', (t) => ((t.regions['eu-west'].replicas[0].id = 'us-east-replica-1'), t), 'duplicate endpoint id "us-east-replica-1"'],
  ];

  it.each(cases)('%s', async (_, mutate, message) => {
    const file = write(`${_.replace(/ /g, '-')}.json`, mutate(good()));
    // The real entry point, as `npm start` runs it.
    const run = spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'src/main.ts'], {
      env: { ...process.env, TOPOLOGY_FILE: file, PORT: '0' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toMatch(/:\/\/app:[0-9a-f]{8,}@/);
  });

  it('refuses to create the Nest application', async () => {
    const file = write('nest.json', cases[1][1](good()));
    const saved = process.env.TOPOLOGY_FILE;
    process.env.TOPOLOGY_FILE = file;
    try {
      await expect(NestFactory.create(AppModule.forRoot(), { logger: false, abortOnError: false })).rejects.toThrow(
        'regions.eu-west.primary: is required',
      );
    } finally {
      process.env.TOPOLOGY_FILE = saved;
    }
  });
});
