import { describe, expect, it } from '@jest/globals';
import { loadTopology, loadTopologyFromEnv } from './topology.loader';

const env = {
  DB_US_EAST_URL: 'postgresql://u:pw1@db-us-east:5432/app',
  DB_US_EAST_REPLICA1_URL: 'postgresql://u:pw2@db-us-east-r1:5432/app',
  DB_US_EAST_REPLICA2_URL: 'postgresql://u:pw3@db-us-east-r2:5432/app',
  DB_US_EAST_REPLICA2_ROLES: 'analytics,background',
  DB_US_EAST_HEALTH_INTERVAL: '10000',
  DB_US_EAST_FAILOVER_TIMEOUT: '60000',
  DB_US_EAST_SSL: 'true',
  DB_EU_WEST_URL: 'postgresql://u:pw4@db-eu-west:5432/app',
  DB_EU_WEST_REPLICA1_URL: 'postgresql://u:pw5@db-eu-west-r1:5432/app',
  DB_EU_WEST_REPLICA10_URL: 'postgresql://u:pw6@db-eu-west-dr:5432/app',
  DB_EU_WEST_REPLICA10_REGION: 'us-east',
  DB_GLOBAL_URL: 'postgresql://u:pw7@db-global:5432/global',
  DB_GLOBAL_REPLICA1_URL: 'postgresql://u:pw8@db-global-r1:5432/global',
  DB_GLOBAL_REPLICA1_REGION: 'eu-west',
  DB_DEFAULT_REGION: 'eu-west',
  DB_POOL_MAX: '4',
  UNRELATED: 'x',
};

function errorOf(vars: Record<string, string>): string {
  try {
    loadTopologyFromEnv(vars);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the environment to be rejected');
}

describe('topology from seed 002 environment variables', () => {
  it('builds regions, replicas, settings and the global database', () => {
    const t = loadTopologyFromEnv(env);
    expect(t.groups.map((g) => g.name)).toEqual(['us-east', 'eu-west']);
    const [usEast, euWest] = t.groups;
    expect(usEast).toMatchObject({ priority: 10, healthIntervalMs: 10000, failoverTimeoutMs: 60000, ssl: 'require' });
    expect(usEast.replicas.map((r) => [r.id, r.roles])).toEqual([
      ['us-east-replica-1', ['read']],
      ['us-east-replica-2', ['analytics', 'background']],
    ]);
    // REPLICA10 sorts after REPLICA1 numerically and is a cross-region DR replica.
    expect(euWest.replicas.map((r) => [r.id, r.region, r.roles])).toEqual([
      ['eu-west-replica-1', 'eu-west', ['read']],
      ['eu-west-replica-10', 'us-east', ['dr']],
    ]);
    expect(t.global?.primary.url).toBe(env.DB_GLOBAL_URL);
    expect(t.global?.replicas[0].region).toBe('eu-west');
    expect(t.defaultRegion).toBe('eu-west');
    expect(t.pool.max).toBe(4);
    expect(t.regions.map((r) => r.cacheUrl)).toEqual([null, null]);
  });

  it('takes a region cache from DB_<REGION>_CACHE_URL, which alone does not make a topology', () => {
    const t = loadTopologyFromEnv({ ...env, DB_EU_WEST_CACHE_URL: 'redis://:c4che@cache-eu:6379/2' });
    expect(t.regions.find((r) => r.name === 'eu-west')?.cacheUrl).toBe('redis://:c4che@cache-eu:6379/2');
    expect(t.regions.find((r) => r.name === 'us-east')?.cacheUrl).toBeNull();
    expect(() => loadTopology({ DB_EU_WEST_CACHE_URL: 'redis://cache-eu:6379' })).toThrow(/set TOPOLOGY_FILE or DB_<REGION>_URL/);
  });

  it.each([
    [{ DB_US_EAST_HEALTH_INTERVAL: 'often' }, 'DB_US_EAST_HEALTH_INTERVAL: must be an integer, got "often"'],
    [{ DB_US_EAST_REPLICA1_URL: 'http://x/y' }, 'DB_US_EAST_REPLICA1_URL: must use postgresql://'],
    [{ DB_US_EAST_URL: 'postgresql://u:pw1@' }, 'DB_US_EAST_URL: is not a valid URL'],
    [{ DB_US_EST_HEALTH_INTERVAL: '100' }, 'DB_US_EST_HEALTH_INTERVAL: set without DB_US_EST_URL'],
    [{ DB_US_EAST_REPLICA3_ROLES: 'read' }, 'DB_US_EAST_REPLICA3_ROLES: set without DB_US_EAST_REPLICA3_URL'],
    [{ DB_US_EAST_SSL: 'maybe' }, 'DB_US_EAST_SSL: must be true, false'],
    [{ DB_US_EAST_REPLICA2_ROLES: 'writer' }, 'DB_US_EAST_REPLICA2_ROLES: unknown role "writer"'],
    [{ DB_MARS_URL: 'postgresql://u:p@mars/app' }, 'DB_MARS_PRIORITY: is required'],
    [{ DB_MARS_URL: 'postgresql://u:p@mars/app', DB_MARS_PRIORITY: '3' }, 'DB_MARS_LOCATION: is required'],
    [{ DB_MARS_URL: 'postgresql://u:p@mars/app', DB_MARS_PRIORITY: '3', DB_MARS_LOCATION: '91,0' }, 'DB_MARS_LOCATION (lat): must be a number'],
    [{ DB_DEFAULT_REGION: 'mars' }, 'DB_DEFAULT_REGION: unknown region "mars"'],
    [{ DB_EU_WEST_REPLICA1_URL: env.DB_US_EAST_REPLICA1_URL }, 'DB_EU_WEST_REPLICA1_URL: duplicate endpoint db-us-east-r1:5432/app'],
    [{ DB_EU_WEST_CACHE_URL: 'memcached://pw9@cache:11211' }, 'DB_EU_WEST_CACHE_URL: must use redis:// or rediss://'],
    [{ DB_ASIA_PACIFIC_CACHE_URL: 'redis://cache-ap:6379' }, 'DB_ASIA_PACIFIC_CACHE_URL: set without DB_ASIA_PACIFIC_URL'],
    [{ DB_GLOBAL_CACHE_URL: 'redis://cache:6379' }, 'DB_GLOBAL_CACHE_URL: a cache belongs to a region'],
  ])('rejects %j naming the variable', (override, message) => {
    const text = errorOf({ ...env, ...override });
    expect(text).toContain('(environment)');
    expect(text).toContain(message);
    expect(text).not.toMatch(/pw\d/);
  });

  it('says how to configure when nothing is configured', () => {
    expect(() => loadTopology({ PATH: '/bin' })).toThrow(/set TOPOLOGY_FILE or DB_<REGION>_URL/);
  });

  it('prefers TOPOLOGY_FILE and names it when it cannot be read', () => {
    expect(() => loadTopology({ ...env, TOPOLOGY_FILE: '/nonexistent/topology.yaml' })).toThrow(
      'Invalid database topology (/nonexistent/topology.yaml): TOPOLOGY_FILE: cannot be read (ENOENT)',
    );
  });
});
