// Login (seed 000's discovery path): global-database queries per login with a cold discovery cache vs a warm
// one (Redis `user_region:<handle>`), counted by UserDirectory, and the time of each. Target: a warm-cache
// login makes no global-database query. Services are constructed by hand (tsx emits no decorator metadata).
// Run: TOPOLOGY_FILE=/path/topology.json REDIS_URL=redis://127.0.0.1:6379/14 npx tsx bench/login.bench.ts
// Listed as: login with a cold vs a warm discovery cache: global-database queries and time; takes about 1 min.
import { SchedulerRegistry } from '@nestjs/schedule';
import { randomUUID } from 'node:crypto';
import { parseAuthSettings } from '../src/auth/auth.settings';
import { TokenService } from '../src/auth/token.service';
import { ConnectionRouterService, DatabaseHealthMonitorService, EndpointRegistry, GroupSnapshots, loadTopologyFile, RedisService, TopologyStateService } from '@regional-db/nestjs';
import { InstanceIdentity } from '../libs/regional-db/src/database/instance-identity';
import { healthSettings } from '../libs/regional-db/src/health/health.settings';
import { Throttle } from '../src/throttle/throttle.service';
import { throttleSettings } from '../src/throttle/throttle.settings';
import { RegionalWriteErrors } from '../src/users/localized-outage';
import { UserLogin } from '../src/users/login.service';
import { PasswordHasher } from '../src/users/password-hasher';
import { UserRegistration } from '../src/users/registration.service';
import { UserDirectory } from '../src/users/user-directory.service';
import { UserLocator } from '../src/users/user-locator.service';
import { runBench } from './support/run';
import { validateEnvironment } from '../src/config/environment';
import { configFrom } from '../src/config/settings.module';
import { redisSettings } from '../libs/regional-db/src/redis/redis.settings';
import { APP_PRISMA_CLIENTS } from '../src/app-prisma-clients';

const LOGINS = 200;
const PASSWORD = 'correct-horse-7';

async function timed(n: number, login: () => Promise<unknown>, before?: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    await before?.();
    const started = performance.now();
    await login();
    out.push(performance.now() - started);
  }
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  // The password hash dominates a login; at the lowest cost the discovery path is what the times show.
  process.env.PASSWORD_HASH_COST ??= '4';
  process.env.REDIS_PREFIX ??= `login-bench-${randomUUID().slice(0, 8)}:`;
  const config = configFrom(process.env);
  const topology = loadTopologyFile(process.env.TOPOLOGY_FILE!);
  const registry = new EndpointRegistry(topology, new InstanceIdentity(), APP_PRISMA_CLIENTS);
  const state = new TopologyStateService(topology);
  const monitor = new DatabaseHealthMonitorService(topology, state, registry, new SchedulerRegistry(), healthSettings(validateEnvironment(process.env)), new InstanceIdentity());
  await monitor.onModuleInit();
  const router = new ConnectionRouterService(topology, registry, state, monitor, validateEnvironment(process.env));
  const redis = new RedisService(redisSettings(validateEnvironment(process.env)));
  if (!redis.client) throw new Error('set REDIS_URL: the discovery cache lives in Redis');
  await redis.ready();
  const directory = new UserDirectory(router, redis, config);
  const hasher = new PasswordHasher(config);
  const tokens = new TokenService(parseAuthSettings(validateEnvironment({ JWT_SECRET: randomUUID() + randomUUID() })));
  const users = new UserLogin(router, new UserLocator(router, directory), hasher, tokens, new Throttle(redis, throttleSettings(validateEnvironment({}))));
  try {
    const handle = `bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    await new UserRegistration(router, directory, hasher, new RegionalWriteErrors(new GroupSnapshots(state, monitor), redis), topology).register({ handle, email: `${handle}@example.com`, password: PASSWORD, region: 'eu-west' });
    const login = () => users.login({ handle, password: PASSWORD });

    let queries = directory.globalQueries;
    const cold = await timed(LOGINS / 4, login, () => directory.forget(handle));
    const coldQueries = (directory.globalQueries - queries) / cold.length;
    await login();
    queries = directory.globalQueries;
    const warm = await timed(LOGINS, login);
    const warmQueries = directory.globalQueries - queries;

    console.log(`login of a user in eu-west (scrypt cost 2^${process.env.PASSWORD_HASH_COST}):`);
    console.log(`  cold discovery cache: ${coldQueries.toFixed(1)} global-database queries per login, median ${median(cold).toFixed(2)} ms (${cold.length} logins)`);
    console.log(`  warm discovery cache: ${warmQueries} global-database queries in ${warm.length} logins, median ${median(warm).toFixed(2)} ms`);
    console.log(`  warm login makes no global-database query: ${warmQueries === 0 ? 'PASS' : 'FAIL'}`);
    const metrics = [
      { label: `global-database queries in ${warm.length} warm-cache logins`, value: warmQueries, unit: 'queries', target: 0, pass: warmQueries === 0 },
      { label: 'global-database queries per cold-cache login', value: coldQueries, unit: 'queries' },
      { label: 'warm-cache login, median (baseline: cold cache)', value: Math.round(median(warm) * 100) / 100, unit: 'ms', baseline: Math.round(median(cold) * 100) / 100, ratio: median(warm) / median(cold) },
    ];
    console.log(`BENCH_RESULT ${JSON.stringify({ name: 'login', metrics })}`);
    if (warmQueries !== 0) process.exitCode = 1;
    await directory.forget(handle);
    await router.write('eu-west').user.delete({ where: { username: handle } });
    await router.global().write().directoryEntry.delete({ where: { handle } });
  } finally {
    await redis.onApplicationShutdown();
    await monitor.onApplicationShutdown();
    await registry.onApplicationShutdown();
  }
}

runBench(main);
