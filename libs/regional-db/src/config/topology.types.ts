export const ENDPOINT_ROLES = ['read', 'analytics', 'background', 'dr'] as const;
export type EndpointRole = (typeof ENDPOINT_ROLES)[number];

export interface GeoLocation {
  lat: number;
  lon: number;
}

export type SslMode = false | 'require' | 'verify-full';

/** One PostgreSQL server. `url` holds credentials: never log or return it, use `describeEndpoint`. */
export interface EndpointConfig {
  id: string;
  /** Replication group (a region's name, or `global`). */
  group: string;
  /** Region the server physically sits in; differs from the group for a cross-region DR replica. */
  region: string;
  url: string;
  /**
   * The failover's own least-privileged role on this server (promote, repoint, fence), on a maintenance
   * database: a fenced database accepts no connection at all. Default: `url` on the `postgres` database.
   */
  adminUrl: string;
  /** Role at configuration time; the live role is discovered from the server. */
  configuredRole: 'primary' | 'replica';
  roles: EndpointRole[];
  /** Lower wins among otherwise equal failover candidates. */
  priority: number;
}

export interface ReplicationGroupConfig {
  name: string;
  kind: 'regional' | 'global';
  /** Region the group serves from (for `global`, the region of its primary). */
  region: string;
  priority: number;
  healthIntervalMs: number;
  failoverTimeoutMs: number;
  ssl: SslMode;
  /** A replica further behind than this is not promoted automatically (null: no bound). */
  maximumLagOnFailoverBytes: number | null;
  primary: EndpointConfig;
  replicas: EndpointConfig[];
}

export interface RegionConfig {
  name: string;
  priority: number;
  location: GeoLocation;
  /** The region's own cache server (`redis://`); null: the shared Redis is used. May hold a password. */
  cacheUrl: string | null;
}

export interface PoolSettings {
  max: number;
  idleTimeoutMs: number;
  connectTimeoutMs: number;
  statementTimeoutMs: number;
}

export interface Topology {
  regions: RegionConfig[];
  /** The regional replication groups, one per region, ordered by priority (highest first). */
  groups: ReplicationGroupConfig[];
  global: ReplicationGroupConfig | null;
  defaultRegion: string;
  pool: PoolSettings;
}

export function allGroups(topology: Topology): ReplicationGroupConfig[] {
  return topology.global ? [...topology.groups, topology.global] : topology.groups;
}

export function allEndpoints(topology: Topology): EndpointConfig[] {
  return allGroups(topology).flatMap((g) => [g.primary, ...g.replicas]);
}
