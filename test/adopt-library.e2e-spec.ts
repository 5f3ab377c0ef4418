// The library from outside, as an adopter gets it: `npm pack` of libs/regional-db, the tarball installed into a
// NestJS app of its own in a temporary folder (test/fixtures/shop-app: its own Prisma schema, one `shop_orders`
// table, its own health controller on the exported Terminus indicator, settings through @nestjs/config), compiled
// with `tsc` against the package's declarations (so `router.read().order` is type-checked against that schema,
// and a model it does not have is an error), then run as its own process on a small topology of its own: a write
// on the primary, a read from a replica, and the primary killed with SIGKILL, after which writes go on.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as local from '../tools/topology/local-topology';
import { failoverTopologyOptions } from './support/failover-topology';

const ROOT = process.cwd();
const FIXTURE = join(ROOT, 'test/fixtures/shop-app');
const options = failoverTopologyOptions([], { name: 'adopt-library-topology', portOffset: 1000 });
const PORT = options.portBase! + 90;
const BASE = `http://127.0.0.1:${PORT}`;

/** The fixture's dependencies at the versions this repository builds with (installed from the npm cache). */
function fixtureDependencies(tarball: string): Record<string, string> {
  const own = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
  const versions = { ...own.dependencies, ...own.devDependencies };
  const names = ['@nestjs/common', '@nestjs/core', '@nestjs/platform-express', '@nestjs/config', '@nestjs/schedule', '@nestjs/swagger', '@nestjs/terminus'];
  names.push('@prisma/client', '@prisma/adapter-pg', 'class-transformer', 'class-validator', 'reflect-metadata', 'rxjs', 'pg', '@types/node');
  return { '@regional-db/nestjs': `file:${tarball}`, ...Object.fromEntries(names.map((name) => [name, versions[name]])) };
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  return execFileSync(command, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
}

async function http(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: any }> {
  try {
    const response = await fetch(`${BASE}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    return { status: response.status, body: await response.json().catch(() => null) };
  } catch {
    return { status: 0, body: null };
  }
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('the library adopted by an application of its own (npm pack, installed, compiled, run)', () => {
  let dir: string;
  let app: ChildProcess | undefined;
  let output = '';
  let primaryPort: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rdr-adopt-'));
    const packed = run('npm', ['pack', '--silent', '--pack-destination', dir], join(ROOT, 'libs/regional-db')).trim().split('\n').pop()!;
    const tarball = join(dir, packed);

    const appDir = join(dir, 'shop-app');
    cpSync(FIXTURE, appDir, { recursive: true });
    writeFileSync(join(appDir, 'package.json'), `${JSON.stringify({ name: 'shop-app', private: true, dependencies: fixtureDependencies(tarball) }, null, 2)}\n`);
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], appDir);
    // Offline generation: the schema engine is never run, any existing file will do (TOOLCHAIN.md).
    run(process.execPath, [join(ROOT, 'node_modules/prisma/build/index.js'), 'generate', '--schema', 'prisma/schema.prisma'], appDir, {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
    });
    run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], appDir);

    await local.down(options);
    await local.up(options);
    // The shop has regions only: the topology without its global database.
    const topology = JSON.parse(readFileSync(local.topologyFilePath(options), 'utf8')) as { global?: unknown; regions: Record<string, { primary: { url: string } }> };
    delete topology.global;
    writeFileSync(join(appDir, 'topology.json'), JSON.stringify(topology), { mode: 0o600 });
    primaryPort = Number(new URL(topology.regions['us-east'].primary.url).port);

    app = spawn(process.execPath, ['dist/main.js'], {
      cwd: appDir,
      env: { PATH: process.env.PATH, TOPOLOGY_FILE: join(appDir, 'topology.json'), PORT: String(PORT) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    app.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    app.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await until('the shop app to answer', 60_000, async () => ((await http('GET', '/health')).status === 200 ? true : undefined)).catch((error: Error) => {
      throw new Error(`${error.message}\n${output}`);
    });
  }, 600_000);

  afterAll(async () => {
    app?.kill('SIGTERM');
    await local.down(options);
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('installed the packed library, not this repository: the app resolves it from its own node_modules', () => {
    const resolved = run(process.execPath, ['-p', "require.resolve('@regional-db/nestjs')"], join(dir, 'shop-app')).trim();
    expect(resolved).toBe(join(dir, 'shop-app/node_modules/@regional-db/nestjs/dist/index.js'));
  });

  it('writes on the primary and reads the row back from a replica', async () => {
    const created = await http('POST', '/orders', { item: 'tea', quantity: 2 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ order: { item: 'tea', quantity: 2 }, servedBy: { replica: false, port: primaryPort } });

    const read = await until('the order on a replica', 30_000, async () => {
      const found = await http('GET', `/orders/${created.body.order.id}`);
      return found.status === 200 && found.body.order ? found : undefined;
    });
    expect(read.body.order).toEqual(created.body.order);
    expect(read.body.servedBy.replica).toBe(true);
    expect(read.body.servedBy.port).not.toBe(primaryPort);
  });

  it('reports through its own health controller with the exported Terminus indicator', async () => {
    const health = await http('GET', '/health');
    expect(health).toMatchObject({ status: 200, body: { status: 'ok', info: { database: { status: 'up' }, 'us-east-primary': { status: 'up' } } } });
  });

  it('survives a kill -9 of the primary: a replica is promoted and writes go on, on the new primary', async () => {
    await local.killServer(options, 'us-east-primary');
    const after = await until('a write after the failover', 60_000, async () => {
      const created = await http('POST', '/orders', { item: 'after', quantity: 1 });
      return created.status === 201 ? created : undefined;
    });
    expect(after.body.servedBy.replica).toBe(false);
    expect(after.body.servedBy.port).not.toBe(primaryPort);
    expect(app!.exitCode).toBeNull();
    const health = await until('the health of the new primary', 30_000, async () => {
      const answer = await http('GET', '/health');
      return answer.status === 200 ? answer : undefined;
    });
    expect(health.body.info['us-east-primary']).toMatchObject({ status: 'up', endpoints: [expect.stringMatching(/^us-east-replica-\d$/)] });
  }, 120_000);
});
