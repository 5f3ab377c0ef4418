// The whole request path: `GET /api/posts/:id` on the real app (routing, request ids, structured JSON logs with
// secret masking, metrics, consistency tokens) against a minimal NestJS app built here from the same Nest and
// Prisma versions, doing the same read (the post with its author) through one Prisma client on one us-east
// replica (the app's us-east is that replica alone: the same database work for both). Both listen in this
// process (ports BENCH_HTTP_PORT and the next one, default BENCH_PORT_BASE + 92); the load comes from a worker
// thread (32 keep-alive connections), in interleaved rounds. The app's log lines
// go to /dev/null through pino, written as they would be to stdout. Runs from the compiled build.
// Listed as: GET /api/posts/:id on the whole app vs a minimal Nest app, 32 connections, compiled build; takes about 2 min.
//
//   TOPOLOGY_FILE=<dir>/topology.json npx tsx bench/http.bench.ts
import 'reflect-metadata';
import { Controller, Get, INestApplication, Module, NotFoundException, Param, ParseUUIDPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { PrismaPg } from '@prisma/adapter-pg';
import { Worker } from 'node:worker_threads';
import pino from 'pino';
import { AppModule } from '../src/app.module';
import { configureApp } from '../src/app.setup';
import { ConnectionRouterService, loadTopologyFile } from '@regional-db/nestjs';
import { AppLogger } from '../src/logging/app-logger';
import { PrismaClient } from '../src/generated/regional/client';
import { runCompiled } from './support/compiled';
import { interleaved, median, ratioMetric } from './support/rounds';

const CONNECTIONS = 32;
const ROUNDS = 12;
const ROUND_MS = 1_000;

/** `connections` keep-alive loops of GET `url` for `ms`; posts back how many answered 200. */
const LOAD = `
const { parentPort } = require('node:worker_threads');
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });
const get = (url) => new Promise((resolve) => {
  http.get(url, { agent }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode === 200)); }).on('error', () => resolve(false));
});
parentPort.on('message', async ({ url, connections, ms }) => {
  let ok = 0;
  let failed = 0;
  const end = Date.now() + ms;
  await Promise.all(Array.from({ length: connections }, async () => {
    while (Date.now() < end) (await get(url)) ? ok++ : failed++;
  }));
  parentPort.postMessage({ ok, failed });
});
`;

function baselineApp(url: string) {
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 10 }) });

  @Controller('api')
  class PostsController {
    @Get('posts/:id')
    async findOne(@Param('id', ParseUUIDPipe) id: string) {
      const post = await prisma.post.findUnique({ where: { id }, include: { user: { select: { username: true } } } });
      if (!post) throw new NotFoundException(`Post ${id} not found`);
      return { id: post.id, userId: post.userId, handle: post.user.username, content: post.content, region: 'us-east', createdAt: post.createdAt };
    }
  }

  @Module({ controllers: [PostsController] })
  class BaselineModule {}
  return { module: BaselineModule, prisma };
}

async function main(): Promise<void> {
  const file = process.env.TOPOLOGY_FILE;
  if (!file) throw new Error('set TOPOLOGY_FILE to a running topology');
  // Both apps read from the same server with the same pool (us-east's first replica, max 10): the bench weighs the
  // request path in Node, not the database. (Spread over two replicas the app's reads cost the two local servers,
  // on the same two cores, about 1.6x the CPU of one: that is PostgreSQL's work, not the router's.)
  const configured = loadTopologyFile(file);
  const topology = { ...configured, groups: configured.groups.map((g) => (g.name === 'us-east' ? { ...g, replicas: g.replicas.slice(0, 1) } : g)) };
  const port = Number(process.env.BENCH_HTTP_PORT ?? Number(process.env.BENCH_PORT_BASE ?? 25900) + 92);

  const app = await NestFactory.create(await AppModule.forRoot({ topology, logDestination: pino.destination({ dest: '/dev/null', sync: true }) }), { bufferLogs: true });
  app.useLogger(app.get(AppLogger));
  configureApp(app);
  await app.listen(port, '127.0.0.1');
  const us = topology.groups.find((g) => g.name === 'us-east')!;
  const baseline = baselineApp(us.replicas[0].url);
  const minimal: INestApplication = await NestFactory.create(baseline.module, { logger: false });
  await minimal.listen(port + 1, '127.0.0.1');

  const router = app.get(ConnectionRouterService);
  const author = await router.write('us-east').user.upsert({ where: { username: 'bench-http' }, create: { username: 'bench-http', email: 'bench-http@example.com', passwordHash: 'x' }, update: {} });
  const post = await router.write('us-east').post.create({ data: { userId: author.id, content: 'bench' } });
  const token = await router.consistencyToken('us-east');
  for (let i = 0; !(await router.read('us-east', { consistencyToken: token }).post.findUnique({ where: { id: post.id } })) || i < 1; i++) await new Promise((r) => setTimeout(r, 100));
  for (const replica of us.replicas) {
    const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: replica.url }) });
    for (let i = 0; !(await client.post.findUnique({ where: { id: post.id } })); i++) {
      if (i > 100) throw new Error(`${replica.id} did not replay the bench post`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await client.$disconnect();
  }

  const worker = new Worker(LOAD, { eval: true });
  const urls: Record<string, string> = { minimal: `http://127.0.0.1:${port + 1}/api/posts/${post.id}`, app: `http://127.0.0.1:${port}/api/posts/${post.id}` };
  const failures: Record<string, number> = { minimal: 0, app: 0 };
  // CPU of the whole process (both apps and the load's thread) per request answered: steadier than req/s on a busy machine.
  const cpuPerRequest: Record<string, number[]> = { minimal: [], app: [] };
  const drive = (name: string) =>
    new Promise<number>((resolve) => {
      const before = process.cpuUsage();
      worker.once('message', ({ ok, failed }: { ok: number; failed: number }) => {
        const cpu = process.cpuUsage(before);
        failures[name] += failed;
        cpuPerRequest[name].push((cpu.user + cpu.system) / Math.max(1, ok));
        resolve(ok / (ROUND_MS / 1000));
      });
      worker.postMessage({ url: urls[name], connections: CONNECTIONS, ms: ROUND_MS });
    });
  try {
    const result = await interleaved(['minimal', 'app'], 'minimal', ROUNDS, drive);
    console.log(
      `GET /api/posts/:id, ${CONNECTIONS} connections: minimal Nest app ${result.minimal.qps.toFixed(0)} req/s, the app ${result.app.qps.toFixed(0)} req/s, ` +
        `ratio median ${result.app.ratio.toFixed(3)} (min ${result.app.min.toFixed(3)}, max ${result.app.max.toFixed(3)}; target >= 0.9); non-200 answers: ${JSON.stringify(failures)}`,
    );
    const [cpuMinimal, cpuApp] = [median(cpuPerRequest.minimal), median(cpuPerRequest.app)];
    console.log(`CPU per request (process, load thread included, median of rounds): minimal ${cpuMinimal.toFixed(0)} µs, the app ${cpuApp.toFixed(0)} µs (${(cpuApp / cpuMinimal).toFixed(2)}x)`);
    const metrics: { label: string; value: number; unit: string; baseline?: number; ratio?: number; pass?: boolean }[] = [
      ratioMetric(`GET /api/posts/:id, ${CONNECTIONS} connections: the app vs a minimal Nest app`, result.app, result.minimal, 0.9),
      { label: 'CPU per request, the app (baseline: the minimal app)', value: Math.round(cpuApp), unit: 'µs', baseline: Math.round(cpuMinimal), ratio: Math.round((cpuApp / cpuMinimal) * 1000) / 1000 },
    ];
    if (failures.app || failures.minimal) process.exitCode = 1;
    if (metrics.some((m) => m.pass === false)) process.exitCode = 1;
    console.log(`BENCH_RESULT ${JSON.stringify({ name: 'http', metrics })}`);
  } finally {
    await worker.terminate();
    await minimal.close();
    await baseline.prisma.$disconnect();
    await app.close();
  }
}

runCompiled(__filename, main);
