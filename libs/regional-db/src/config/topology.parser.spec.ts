import { describe, expect, it } from '@jest/globals';
import { parseTopology } from './topology.parser';
import { TopologyConfigError } from './topology-config.error';

const url = (port: number, db = 'app') => `postgresql://app:s3cret@127.0.0.1:${port}/${db}`;

function valid(): Record<string, any> {
  return {
    defaultRegion: 'eu-west',
    regions: {
      'eu-west': { primary: { url: url(1) }, replicas: [{ url: url(2) }] },
      'us-east': {
        healthIntervalMs: 5000,
        primary: { url: url(3) },
        replicas: [{ url: url(4), roles: ['read', 'analytics'] }, { id: 'us-east-dr', url: url(5), region: 'eu-west' }],
      },
      'mars-north': { priority: 1, location: { lat: 10, lon: 20 }, primary: { url: url(6) } },
    },
    global: { region: 'us-east', primary: { url: url(7, 'g') }, replicas: [{ url: url(8, 'g'), region: 'eu-west' }] },
  };
}

function errorOf(raw: unknown): string {
  try {
    parseTopology(raw, 'test.json');
  } catch (error) {
    expect(error).toBeInstanceOf(TopologyConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the topology to be rejected');
}

describe('parseTopology', () => {
  it('fills seed 002 priorities and defaults and orders regions by priority', () => {
    const t = parseTopology(valid(), 'test.json');
    expect(t.regions.map((r) => [r.name, r.priority])).toEqual([
      ['us-east', 10],
      ['eu-west', 8],
      ['mars-north', 1],
    ]);
    const usEast = t.groups[0];
    expect(usEast.healthIntervalMs).toBe(5000);
    expect(usEast.failoverTimeoutMs).toBe(300_000);
    expect(usEast.primary).toMatchObject({ id: 'us-east-primary', configuredRole: 'primary', region: 'us-east' });
    expect(usEast.replicas.map((r) => [r.id, r.region, r.roles])).toEqual([
      ['us-east-replica-1', 'us-east', ['read', 'analytics']],
      ['us-east-dr', 'eu-west', ['dr']],
    ]);
    expect(t.defaultRegion).toBe('eu-west');
    expect(t.global?.replicas[0]).toMatchObject({ id: 'global-replica-1', group: 'global', region: 'eu-west' });
    expect(t.pool.max).toBeGreaterThan(0);
    expect(t.regions.map((r) => r.cacheUrl)).toEqual([null, null, null]);
  });

  it('takes a region cache URL (redis:// or rediss://)', () => {
    const raw = valid();
    raw.regions['eu-west'].cacheUrl = 'redis://:c4che@127.0.0.1:6380/0';
    raw.regions['us-east'].cacheUrl = 'rediss://cache.us-east:6380';
    const t = parseTopology(raw, 'test.json');
    expect(t.regions.map((r) => [r.name, r.cacheUrl])).toEqual([
      ['us-east', 'rediss://cache.us-east:6380'],
      ['eu-west', 'redis://:c4che@127.0.0.1:6380/0'],
      ['mars-north', null],
    ]);
  });

  it.each([
    ['an unknown key', (r: any) => (r.regions['eu-west'].primry = {}), 'regions.eu-west.primry: unknown key'],
    ['a missing primary', (r: any) => delete r.regions['eu-west'].primary, 'regions.eu-west.primary: is required'],
    ['a bad URL', (r: any) => (r.regions['eu-west'].replicas[0].url = 'not a url'), 'regions.eu-west.replicas[0].url: is not a valid URL'],
    ['a non-postgres URL', (r: any) => (r.regions['eu-west'].primary.url = 'mysql://a:b@h/db'), 'must use postgresql://'],
    ['a duplicate id', (r: any) => (r.regions['us-east'].replicas[1].id = 'us-east-replica-1'), 'duplicate endpoint id "us-east-replica-1"'],
    ['a duplicate server', (r: any) => (r.regions['us-east'].replicas[1].url = url(2)), '.url: duplicate endpoint 127.0.0.1:2/app'],
    ['an unknown role', (r: any) => (r.regions['us-east'].replicas[0].roles = ['reed']), 'unknown role "reed"'],
    ['a region without location', (r: any) => delete r.regions['mars-north'].location, 'regions.mars-north.location: is required'],
    ['a region without priority', (r: any) => delete r.regions['mars-north'].priority, 'regions.mars-north.priority: is required'],
    ['a bad interval', (r: any) => (r.regions['eu-west'].healthIntervalMs = 'soon'), 'regions.eu-west.healthIntervalMs: must be an integer'],
    ['an unknown default region', (r: any) => (r.defaultRegion = 'mars'), 'defaultRegion: unknown region "mars"'],
    ['an unknown replica region', (r: any) => (r.global.replicas[0].region = 'moon'), 'global.replicas[0].region: unknown region "moon"'],
    ['no regions', (r: any) => (r.regions = {}), 'regions: at least one region is required'],
    ['a non-redis cache URL', (r: any) => (r.regions['eu-west'].cacheUrl = 'http://s3cret@cache:6379'), 'regions.eu-west.cacheUrl: must use redis:// or rediss://'],
    ['a cache URL that is no URL', (r: any) => (r.regions['eu-west'].cacheUrl = 'cache s3cret'), 'regions.eu-west.cacheUrl: is not a valid URL'],
    ['an empty cache URL', (r: any) => (r.regions['eu-west'].cacheUrl = ''), 'regions.eu-west.cacheUrl: must be a non-empty string'],
    ['a cache URL on the global database', (r: any) => (r.global.cacheUrl = 'redis://h:1'), 'global.cacheUrl: unknown key'],
  ])('rejects %s, naming the key', (_, mutate, message) => {
    const raw = valid();
    mutate(raw);
    const text = errorOf(raw);
    expect(text).toContain('test.json');
    expect(text).toContain(message);
    expect(text).not.toContain('s3cret');
  });
});
