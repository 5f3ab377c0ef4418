// docker-compose.yml validated by Debian's docker-compose (there is no engine here to run it) and checked
// against the app's own configuration loader: the deployment is the topology the app expects.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { loadTopologyFromEnv } from '../libs/regional-db/src/config/topology.loader';
import { allEndpoints, allGroups, Topology } from '../libs/regional-db/src/config/topology.types';
import { validateEnvironment } from '../src/config/environment';

const root = process.cwd();

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[] };
  restart?: string;
  volumes?: string[];
}

/** docker-compose with only the variables of `envFile`, never the developer's own environment or .env. */
function compose(envFile: string, ...args: string[]) {
  return spawnSync('docker-compose', ['-f', 'docker-compose.yml', '--env-file', envFile, ...args], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: tmpdir() },
    encoding: 'utf8',
  });
}

const hostOf = (url: string) => new URL(url).hostname;
const databaseOf = (url: string) => new URL(url).pathname.slice(1);

describe('docker-compose deployment', () => {
  let services: Record<string, Service>;
  let topology: Topology;
  const apis = ['api-us-east', 'api-eu-west', 'api-asia-pacific'];

  beforeAll(() => {
    const version = spawnSync('docker-compose', ['version'], { encoding: 'utf8' });
    if (version.error || version.status !== 0) {
      throw new Error(
        'docker-compose is not installed: `apt-get install -y docker-compose` (Debian, v1.29); .ci/run installs it',
      );
    }
    const config = compose('.env.example', 'config');
    expect(config.stderr).toBe('');
    expect(config.status).toBe(0);
    services = parseYaml(config.stdout).services;
    topology = loadTopologyFromEnv(services['api-us-east'].environment!);
  });

  it('passes `docker-compose config -q` with the variables of .env.example', () => {
    const result = compose('.env.example', 'config', '-q');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('refuses to start without the secrets, naming the one missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'compose-env-'));
    writeFileSync(join(dir, 'empty.env'), '');
    const result = compose(join(dir, 'empty.env'), 'config', '-q');
    rmSync(dir, { recursive: true, force: true });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/set (POSTGRES|APP_DB|FAILOVER_DB|REPLICATION)_PASSWORD in \.env/);
  });

  it('commits no secret: every URL takes its password from the environment', () => {
    const text = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
    const urls = text.match(/postgresql:\/\/\S+/g) ?? [];
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) {
      expect(url).toMatch(/^postgresql:\/\/(\$\{APP_DB_USER:-app\}:\$\{APP_DB_PASSWORD\}|\$\{FAILOVER_DB_USER:-router_admin\}:\$\{FAILOVER_DB_PASSWORD\})@/);
    }
  });

  it('gives the failover its own role on every endpoint, on the maintenance database', () => {
    for (const endpoint of allEndpoints(topology)) {
      expect(endpoint.adminUrl).toMatch(/^postgresql:\/\/router_admin:[^@]+@[a-z0-9-]+:5432\/postgres$/);
      expect(hostOf(endpoint.adminUrl)).toBe(hostOf(endpoint.url));
    }
  });

  it("gives the API servers seed 002's variables for three regions and the global database", () => {
    expect(topology.groups.map((g) => [g.name, g.replicas.length])).toEqual([
      ['us-east', 2],
      ['eu-west', 1],
      ['asia-pacific', 1],
    ]);
    expect(topology.global?.primary.region).toBe('us-east');
    expect(topology.global?.replicas.map((r) => r.region)).toEqual(['eu-west', 'asia-pacific']);
    for (const name of [...apis, 'migrate', 'migrate-pending']) {
      // The migrate jobs' own settings (scripts/migrate.ts) come on top of the API servers' environment.
      const { DB_DEFAULT_REGION, MIGRATE_WAIT_MS, MIGRATE_REQUIRE_ALL, ...env } = services[name].environment!;
      const { DB_DEFAULT_REGION: _, ...reference } = services['api-us-east'].environment!;
      expect(env).toEqual(reference);
      expect(env).toMatchObject({
        HOST: '0.0.0.0', PORT: '3000', REDIS_SENTINELS: 'sentinel-1:26379,sentinel-2:26379,sentinel-3:26379', REDIS_SENTINEL_NAME: 'rdr-coordination',
      });
      expect(env.JWT_SECRET).toBeTruthy();
      // Every setting the service gets passes the app's own settings schema.
      expect(() => validateEnvironment(services[name].environment!)).not.toThrow();
      if (!name.startsWith('migrate')) expect(loadTopologyFromEnv(services[name].environment!).defaultRegion).toBe(name.slice(4));
    }
  });

  it('runs every endpoint of that topology as a postgres:15 service of the same name', () => {
    for (const endpoint of allEndpoints(topology)) {
      const service = services[hostOf(endpoint.url)];
      expect(service?.image).toBe('postgres:15');
      expect(endpoint.id).toBe(hostOf(endpoint.url));
    }
  });

  it('sets up each primary with primary-init.sh and its database', () => {
    for (const group of allGroups(topology)) {
      const primary = services[hostOf(group.primary.url)];
      expect(primary.volumes).toContain(`${root}/deploy/postgres/primary-init.sh:/docker-entrypoint-initdb.d/10-primary-init.sh:ro`);
      expect(primary.environment).toMatchObject({ APP_DB_NAME: databaseOf(group.primary.url), APP_DB_USER: 'app' });
      expect(primary.entrypoint).toBeUndefined();
    }
  });

  it('makes each replica a clone of its own primary, named by its endpoint id, started once the primary is healthy', () => {
    for (const group of allGroups(topology)) {
      const primaryHost = hostOf(group.primary.url);
      for (const replica of group.replicas) {
        const service = services[hostOf(replica.url)];
        expect(service.entrypoint).toEqual(['/deploy/postgres/replica-entrypoint.sh']);
        expect(service.volumes).toContain(`${root}/deploy/postgres:/deploy/postgres:ro`);
        expect(service.environment).toMatchObject({ PRIMARY_HOST: primaryHost, REPLICA_NAME: replica.id });
        expect(service.depends_on).toEqual({ [primaryHost]: { condition: 'service_healthy' } });
        expect(service.environment!.REPLICATION_PASSWORD).toBe(services[primaryHost].environment!.REPLICATION_PASSWORD);
      }
    }
    for (const script of ['primary-init.sh', 'replica-entrypoint.sh']) {
      // Executable: the image runs it (a sourced script would share the entrypoint's shell options).
      expect(statSync(join(root, 'deploy/postgres', script)).mode & 0o111).toBe(0o111);
    }
  });

  it('starts in order: primaries started, then migrate, then the APIs (with the Redis sentinels), then nginx', () => {
    const primaries = allGroups(topology).map((g) => hostOf(g.primary.url));
    expect(services.migrate.command).toEqual(['node', 'dist/scripts/migrate.js']);
    expect(services.migrate.restart).toBe('no');
    // Started, not healthy: one primary that never gets healthy must not keep migrate, and so every API
    // server, from starting. migrate waits for each group itself, a bounded time, and leaves out the ones down.
    expect(services.migrate.depends_on).toEqual(Object.fromEntries(primaries.map((p) => [p, { condition: 'service_started' }])));
    expect(services.migrate.environment!.MIGRATE_WAIT_MS).toBe('60000');
    expect(services.migrate.environment!.MIGRATE_REQUIRE_ALL).toBeUndefined();
    for (const api of apis) {
      expect(services[api].depends_on).toEqual({
        migrate: { condition: 'service_completed_successfully' },
        'sentinel-1': { condition: 'service_healthy' },
        'sentinel-2': { condition: 'service_healthy' },
        'sentinel-3': { condition: 'service_healthy' },
      });
      expect(services[api]).toMatchObject({ image: services.migrate.image, build: services.migrate.build });
      expect(services[api].command).toBeUndefined();
    }
    expect(services.nginx.depends_on).toEqual(Object.fromEntries(apis.map((a) => [a, { condition: 'service_healthy' }])));
  });

  it('migrates a group left out by migrate once it is up: migrate-pending, restarted until every group is migrated', () => {
    const pending = services['migrate-pending'];
    expect(pending).toMatchObject({ image: services.migrate.image, build: services.migrate.build, command: services.migrate.command });
    // Exits 1 while a group is unreachable (MIGRATE_REQUIRE_ALL), so the engine runs it again; 0 once all are.
    expect(pending.restart).toBe('on-failure');
    expect(pending.environment).toMatchObject({ MIGRATE_REQUIRE_ALL: 'true', MIGRATE_WAIT_MS: '60000' });
    // After migrate (never two runs at once), and nothing waits for it.
    expect(pending.depends_on).toEqual({ migrate: { condition: 'service_completed_successfully' } });
    for (const [name, service] of Object.entries(services)) expect([name, Object.keys(service.depends_on ?? {})]).toEqual([name, expect.not.arrayContaining(['migrate-pending'])]);
  });

  it('health-checks every long-running service', () => {
    const probes = Object.entries(services)
      .filter(([name]) => !name.startsWith('migrate'))
      .map(([name, s]) => [name, (s.healthcheck?.test ?? []).join(' ')]);
    for (const [name, probe] of probes) {
      const expected = name.includes('primary') || name.includes('replica') ? /pg_isready .*-h 127\.0\.0\.1/
        : /^(redis|sentinel)-\d$/.test(name) ? /redis-cli (-p 26379 )?ping/
        : name === 'nginx' ? /\/health\/live/
        : /http:\/\/127\.0\.0\.1:3000\/health\/ready/;
      expect([name, probe]).toEqual([name, expect.stringMatching(expected)]);
    }
    expect(probes).toHaveLength(Object.keys(services).length - 2);
  });

  it('runs Redis as a primary, a replica and three sentinels watching it, with the password only from .env', () => {
    expect(services['redis-2'].command!.join(' ')).toMatch(/--replicaof redis-1 6379/);
    for (const name of ['redis-1', 'redis-2', 'sentinel-1', 'sentinel-2', 'sentinel-3']) {
      expect(services[name].image).toBe('redis:7-alpine');
      expect(services[name].environment!.REDIS_PASSWORD).toBe('replace-with-the-redis-password');
      expect(JSON.stringify([services[name].command, services[name].entrypoint, services[name].healthcheck])).not.toContain('replace-with-the-redis-password');
    }
    for (const name of ['sentinel-1', 'sentinel-2', 'sentinel-3']) {
      expect(services[name].entrypoint).toEqual(['/deploy/redis/sentinel-entrypoint.sh']);
      expect(services[name].environment).toMatchObject({ SENTINEL_NAME: 'rdr-coordination', REDIS_PRIMARY_HOST: 'redis-1', SENTINEL_HOST: name });
    }
    expect(statSync(join(root, 'deploy/redis/sentinel-entrypoint.sh')).mode & 0o111).toBe(0o111);
    expect(services['api-us-east'].environment!.REDIS_PASSWORD).toBe('replace-with-the-redis-password');
  });

  it('puts nginx in front of exactly the three API servers', () => {
    const conf = readFileSync(join(root, 'deploy/nginx/nginx.conf'), 'utf8');
    const upstream = /upstream api \{([^}]*)\}/.exec(conf)?.[1] ?? '';
    expect([...upstream.matchAll(/server ([\w-]+):(\d+)/g)].map((m) => `${m[1]}:${m[2]}`)).toEqual(apis.map((a) => `${a}:3000`));
    expect(conf).toMatch(/location \/ \{[^}]*proxy_pass http:\/\/api;/);
    expect(services.nginx.volumes).toContain(`${root}/deploy/nginx/nginx.conf:/etc/nginx/nginx.conf:ro`);
  });

  it("builds the image the services run from the repository's Dockerfile", () => {
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:20\S* AS build$/m);
    expect(dockerfile).toMatch(/^RUN npm ci\b/m);
    expect(dockerfile).toMatch(/^RUN npm run build\b/m);
    expect(dockerfile.trimEnd().split('\n').pop()).toBe('CMD ["node", "dist/src/main.js"]');
    // migrate's entry point is compiled with the app (tsconfig.build.json includes scripts/).
    expect(existsSync(join(root, 'scripts/migrate.ts'))).toBe(true);
    expect(JSON.parse(readFileSync(join(root, 'tsconfig.build.json'), 'utf8')).include).toContain('scripts/**/*.ts');
  });
});
