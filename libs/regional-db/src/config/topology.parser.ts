import { TopologyConfigError } from './topology-config.error';
import { describeUrl } from './redact';
import {
  ENDPOINT_ROLES,
  EndpointConfig,
  EndpointRole,
  GeoLocation,
  PoolSettings,
  RegionConfig,
  ReplicationGroupConfig,
  SslMode,
  Topology,
  allEndpoints,
} from './topology.types';

/** Priorities of seed 002 and rough data-centre coordinates, so the common names need no extra settings. */
export const KNOWN_REGIONS: Record<string, { priority: number; location: GeoLocation }> = {
  'us-east': { priority: 10, location: { lat: 38.9, lon: -77.4 } },
  'us-west': { priority: 9, location: { lat: 45.6, lon: -121.2 } },
  'eu-west': { priority: 8, location: { lat: 53.3, lon: -6.3 } },
  'eu-central': { priority: 7, location: { lat: 50.1, lon: 8.7 } },
  'asia-pacific': { priority: 6, location: { lat: 1.35, lon: 103.8 } },
  'latam': { priority: 5, location: { lat: -23.5, lon: -46.6 } },
};

export const TOPOLOGY_DEFAULTS = {
  healthIntervalMs: 30_000,
  failoverTimeoutMs: 300_000,
  maximumLagOnFailoverBytes: 16 * 1024 * 1024,
  pool: { max: 10, idleTimeoutMs: 30_000, connectTimeoutMs: 3_000, statementTimeoutMs: 15_000 } as PoolSettings,
};

const REGION_NAME = /^[a-z][a-z0-9-]{0,40}$/;
const ENDPOINT_ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;

type Raw = Record<string, unknown>;

/**
 * Validates a raw topology (from a file, or built from environment variables) and returns the typed one.
 * Every problem is a TopologyConfigError naming the key; `keyName` turns a path into what the user wrote
 * (an environment variable name when the topology came from the environment).
 */
export function parseTopology(raw: unknown, source: string, keyName: (path: string) => string = (p) => p): Topology {
  const fail = (path: string, problem: string): never => {
    throw new TopologyConfigError(source, keyName(path), problem);
  };
  const v = new Validator(fail);

  const root = v.object(raw, '(root)');
  v.onlyKeys(root, '', ['defaultRegion', 'pool', 'regions', 'global']);
  const regionsRaw = v.object(root.regions, 'regions');
  const names = Object.keys(regionsRaw);
  if (names.length === 0) fail('regions', 'at least one region is required');

  const regions: RegionConfig[] = [];
  const groups: ReplicationGroupConfig[] = [];
  for (const name of names) {
    const path = `regions.${name}`;
    if (!REGION_NAME.test(name)) fail(path, 'a region name is lower-case letters, digits and dashes');
    if (name === 'global') fail(path, '"global" is reserved for the global database');
    const r = v.object(regionsRaw[name], path);
    v.onlyKeys(r, path, [
      'priority', 'location', 'primary', 'replicas', 'healthIntervalMs', 'failoverTimeoutMs', 'ssl',
      'maximumLagOnFailoverBytes', 'cacheUrl',
    ]);
    const known = KNOWN_REGIONS[name];
    if (!known && r.priority === undefined) fail(`${path}.priority`, `is required for a region without built-in defaults`);
    const priority = r.priority === undefined ? known.priority : v.int(r.priority, `${path}.priority`, 0, 1000);
    const location =
      r.location === undefined && known ? known.location : v.location(r.location, `${path}.location`);
    const cacheUrl = r.cacheUrl === undefined || r.cacheUrl === null ? null : v.redisUrl(r.cacheUrl, `${path}.cacheUrl`);
    regions.push({ name, priority, location, cacheUrl });
    groups.push(v.group(r, path, name, 'regional', name, priority));
  }

  let global: ReplicationGroupConfig | null = null;
  if (root.global !== undefined) {
    const g = v.object(root.global, 'global');
    v.onlyKeys(g, 'global', [
      'region', 'primary', 'replicas', 'healthIntervalMs', 'failoverTimeoutMs', 'ssl', 'maximumLagOnFailoverBytes',
    ]);
    const home = g.region === undefined ? names[0] : v.string(g.region, 'global.region');
    if (!names.includes(home)) fail('global.region', `unknown region "${home}"`);
    global = v.group(g, 'global', 'global', 'global', home, 0);
  }

  const defaultRegion = root.defaultRegion === undefined ? undefined : v.string(root.defaultRegion, 'defaultRegion');
  if (defaultRegion !== undefined && !names.includes(defaultRegion)) {
    fail('defaultRegion', `unknown region "${defaultRegion}" (known: ${names.join(', ')})`);
  }

  const pool = v.pool(root.pool);
  regions.sort((a, b) => b.priority - a.priority);
  groups.sort((a, b) => b.priority - a.priority);
  const topology: Topology = { regions, groups, global, defaultRegion: defaultRegion ?? regions[0].name, pool };

  const ids = new Map<string, string>();
  const servers = new Map<string, string>();
  for (const group of [...groups, ...(global ? [global] : [])]) {
    [group.primary, ...group.replicas].forEach((e, i) => {
      const path = i === 0 ? `${pathOf(group)}.primary` : `${pathOf(group)}.replicas[${i - 1}]`;
      if (ids.has(e.id)) fail(`${path}.id`, `duplicate endpoint id "${e.id}" (also ${ids.get(e.id)})`);
      ids.set(e.id, path);
      const server = describeUrl(e.url);
      if (servers.has(server)) fail(`${path}.url`, `duplicate endpoint ${server} (also ${servers.get(server)})`);
      servers.set(server, path);
      if (!names.includes(e.region)) fail(`${path}.region`, `unknown region "${e.region}"`);
    });
  }
  if (allEndpoints(topology).length !== ids.size) fail('regions', 'endpoint ids are not unique');
  return topology;
}

function pathOf(group: ReplicationGroupConfig): string {
  return group.kind === 'global' ? 'global' : `regions.${group.name}`;
}

class Validator {
  constructor(private readonly fail: (path: string, problem: string) => never) {}

  object(value: unknown, path: string): Raw {
    if (value === undefined || value === null) return this.fail(path, 'is required');
    if (typeof value !== 'object' || Array.isArray(value)) return this.fail(path, 'must be an object');
    return value as Raw;
  }

  onlyKeys(obj: Raw, path: string, allowed: string[]): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) this.fail(path ? `${path}.${key}` : key, `unknown key (allowed: ${allowed.join(', ')})`);
    }
  }

  string(value: unknown, path: string): string {
    if (typeof value !== 'string' || value.trim() === '') return this.fail(path, 'must be a non-empty string');
    return value.trim();
  }

  int(value: unknown, path: string, min: number, max: number): number {
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isInteger(n)) return this.fail(path, `must be an integer, got ${show(value)}`);
    if (n < min || n > max) return this.fail(path, `must be between ${min} and ${max}, got ${n}`);
    return n;
  }

  optionalInt(value: unknown, path: string, min: number, max: number, fallback: number): number {
    return value === undefined ? fallback : this.int(value, path, min, max);
  }

  location(value: unknown, path: string): GeoLocation {
    if (typeof value === 'string') {
      const [lat, lon, ...rest] = value.split(',').map((s) => Number(s.trim()));
      if (rest.length === 0 && Number.isFinite(lat) && Number.isFinite(lon)) return this.location({ lat, lon }, path);
      return this.fail(path, `must be "lat,lon", got ${show(value)}`);
    }
    if (value === undefined) return this.fail(path, 'is required for a region without built-in defaults');
    const o = this.object(value, path);
    this.onlyKeys(o, path, ['lat', 'lon']);
    const { lat, lon } = o;
    if (typeof lat !== 'number' || lat < -90 || lat > 90) return this.fail(`${path}.lat`, 'must be a number in [-90, 90]');
    if (typeof lon !== 'number' || lon < -180 || lon > 180) return this.fail(`${path}.lon`, 'must be a number in [-180, 180]');
    return { lat, lon };
  }

  ssl(value: unknown, path: string): SslMode {
    if (value === undefined || value === false || value === 'false' || value === 'disable') return false;
    if (value === true || value === 'true' || value === 'require') return 'require';
    if (value === 'verify-full') return 'verify-full';
    return this.fail(path, `must be true, false, "require" or "verify-full", got ${show(value)}`);
  }

  url(value: unknown, path: string): string {
    const text = this.string(value, path);
    let parsed: URL;
    try {
      parsed = new URL(text);
    } catch {
      return this.fail(path, 'is not a valid URL (expected postgresql://user:password@host:port/database)');
    }
    if (parsed.protocol !== 'postgresql:' && parsed.protocol !== 'postgres:') {
      return this.fail(path, `must use postgresql://, got ${parsed.protocol}//`);
    }
    if (!parsed.hostname) return this.fail(path, 'has no host');
    if (parsed.pathname.length <= 1) return this.fail(path, 'has no database name');
    return text;
  }

  redisUrl(value: unknown, path: string): string {
    const text = this.string(value, path);
    let parsed: URL;
    try {
      parsed = new URL(text);
    } catch {
      return this.fail(path, 'is not a valid URL (expected redis://host:port)');
    }
    if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
      return this.fail(path, `must use redis:// or rediss://, got ${parsed.protocol}//`);
    }
    if (!parsed.hostname) return this.fail(path, 'has no host');
    return text;
  }

  roles(value: unknown, path: string, fallback: EndpointRole[]): EndpointRole[] {
    if (value === undefined) return fallback;
    const list = typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : value;
    if (!Array.isArray(list)) return this.fail(path, 'must be a list of roles');
    for (const role of list) {
      if (!ENDPOINT_ROLES.includes(role as EndpointRole)) {
        this.fail(path, `unknown role ${show(role)} (allowed: ${ENDPOINT_ROLES.join(', ')})`);
      }
    }
    return [...new Set(list as EndpointRole[])];
  }

  endpoint(value: unknown, path: string, group: string, region: string, index: number | null): EndpointConfig {
    const o = this.object(value, path);
    this.onlyKeys(o, path, index === null ? ['id', 'url', 'adminUrl'] : ['id', 'url', 'adminUrl', 'roles', 'region', 'priority']);
    const id = o.id === undefined ? (index === null ? `${group}-primary` : `${group}-replica-${index + 1}`) : this.string(o.id, `${path}.id`);
    if (!ENDPOINT_ID.test(id)) this.fail(`${path}.id`, 'an endpoint id is lower-case letters, digits, "-" and "_"');
    const where = o.region === undefined ? region : this.string(o.region, `${path}.region`);
    const roles = this.roles(o.roles, `${path}.roles`, index === null ? [] : where === region ? ['read'] : ['dr']);
    const url = this.url(o.url, `${path}.url`);
    return {
      id,
      group,
      region: where,
      url,
      adminUrl: o.adminUrl === undefined ? onDatabase(url, 'postgres') : this.url(o.adminUrl, `${path}.adminUrl`),
      configuredRole: index === null ? 'primary' : 'replica',
      roles,
      priority: this.optionalInt(o.priority, `${path}.priority`, 0, 1000, index === null ? 0 : index + 1),
    };
  }

  group(
    r: Raw,
    path: string,
    name: string,
    kind: 'regional' | 'global',
    region: string,
    priority: number,
  ): ReplicationGroupConfig {
    const replicasRaw = r.replicas === undefined ? [] : r.replicas;
    if (!Array.isArray(replicasRaw)) this.fail(`${path}.replicas`, 'must be a list');
    const maxLag = r.maximumLagOnFailoverBytes;
    return {
      name,
      kind,
      region,
      priority,
      healthIntervalMs: this.optionalInt(r.healthIntervalMs, `${path}.healthIntervalMs`, 100, 3_600_000, TOPOLOGY_DEFAULTS.healthIntervalMs),
      failoverTimeoutMs: this.optionalInt(r.failoverTimeoutMs, `${path}.failoverTimeoutMs`, 1_000, 3_600_000, TOPOLOGY_DEFAULTS.failoverTimeoutMs),
      ssl: this.ssl(r.ssl, `${path}.ssl`),
      maximumLagOnFailoverBytes:
        maxLag === null || maxLag === 'none'
          ? null
          : this.optionalInt(maxLag, `${path}.maximumLagOnFailoverBytes`, 0, Number.MAX_SAFE_INTEGER, TOPOLOGY_DEFAULTS.maximumLagOnFailoverBytes),
      primary: this.endpoint(r.primary, `${path}.primary`, name, region, null),
      replicas: (replicasRaw as unknown[]).map((e, i) => this.endpoint(e, `${path}.replicas[${i}]`, name, region, i)),
    };
  }

  pool(value: unknown): PoolSettings {
    const d = TOPOLOGY_DEFAULTS.pool;
    if (value === undefined) return { ...d };
    const o = this.object(value, 'pool');
    this.onlyKeys(o, 'pool', Object.keys(d));
    return {
      max: this.optionalInt(o.max, 'pool.max', 1, 1000, d.max),
      idleTimeoutMs: this.optionalInt(o.idleTimeoutMs, 'pool.idleTimeoutMs', 0, 3_600_000, d.idleTimeoutMs),
      connectTimeoutMs: this.optionalInt(o.connectTimeoutMs, 'pool.connectTimeoutMs', 100, 600_000, d.connectTimeoutMs),
      statementTimeoutMs: this.optionalInt(o.statementTimeoutMs, 'pool.statementTimeoutMs', 100, 3_600_000, d.statementTimeoutMs),
    };
  }
}

/** The same server and credentials, on another database. */
function onDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
