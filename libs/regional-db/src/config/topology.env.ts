import { TopologyConfigError } from './topology-config.error';

const GLOBAL_SETTINGS: Record<string, string> = {
  DB_DEFAULT_REGION: 'defaultRegion',
  DB_POOL_MAX: 'pool.max',
  DB_POOL_IDLE_TIMEOUT: 'pool.idleTimeoutMs',
  DB_POOL_CONNECT_TIMEOUT: 'pool.connectTimeoutMs',
  DB_STATEMENT_TIMEOUT: 'pool.statementTimeoutMs',
};
const GROUP_SETTINGS: Record<string, string> = {
  URL: 'primary.url',
  ADMIN_URL: 'primary.adminUrl',
  HEALTH_INTERVAL: 'healthIntervalMs',
  FAILOVER_TIMEOUT: 'failoverTimeoutMs',
  SSL: 'ssl',
  PRIORITY: 'priority',
  LOCATION: 'location',
  MAX_LAG_ON_FAILOVER: 'maximumLagOnFailoverBytes',
  REGION: 'region',
  CACHE_URL: 'cacheUrl',
};
const REPLICA_SETTINGS: Record<string, string> = { URL: 'url', ADMIN_URL: 'adminUrl', ROLES: 'roles', REGION: 'region', PRIORITY: 'priority' };
const VARIABLE = /^DB_([A-Z0-9_]+?)_(?:REPLICA(\d+)_(URL|ADMIN_URL|ROLES|REGION|PRIORITY)|(URL|ADMIN_URL|HEALTH_INTERVAL|FAILOVER_TIMEOUT|SSL|PRIORITY|LOCATION|MAX_LAG_ON_FAILOVER|REGION|CACHE_URL))$/;

export interface EnvTopology {
  raw: Record<string, unknown>;
  /** Topology path -> the variable it came from, so errors name what the user set. */
  variables: Map<string, string>;
}

/** True when the environment describes a topology (seed 002's DB_<REGION>_URL variables). */
export function hasEnvTopology(env: NodeJS.ProcessEnv): boolean {
  return Object.keys(env).some(
    (k) => /^DB_[A-Z0-9_]+_URL$/.test(k) && !/_(REPLICA\d+|CACHE|ADMIN)_URL$/.test(k) && k !== 'DB_GLOBAL_URL',
  );
}

/**
 * Seed 002's variables (`DB_US_EAST_URL`, `DB_US_EAST_REPLICA1_URL`, `DB_US_EAST_HEALTH_INTERVAL`, ...,
 * `DB_GLOBAL_URL`) as a raw topology for `parseTopology`. `US_EAST` names the region `us-east`.
 */
export function topologyFromEnv(env: NodeJS.ProcessEnv): EnvTopology {
  const variables = new Map<string, string>();
  const regions: Record<string, Record<string, unknown>> = {};
  let global: Record<string, unknown> | undefined;
  const root: Record<string, unknown> = {};
  const set = (target: Record<string, unknown>, path: string, value: unknown, fullPath: string, variable: string) => {
    const keys = path.split('.');
    let node = target;
    for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[keys[keys.length - 1]] = value;
    variables.set(fullPath, variable);
  };

  const matches = Object.keys(env)
    .filter((k) => k.startsWith('DB_') && env[k] !== undefined)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const groupsWithUrl = new Set(
    matches.map((k) => VARIABLE.exec(k)).filter((m) => m && m[4] === 'URL').map((m) => m![1]),
  );
  const replicaIndex = new Map<string, number>();

  for (const key of matches) {
    const value = env[key]!;
    if (key in GLOBAL_SETTINGS) {
      set(root, GLOBAL_SETTINGS[key], value, GLOBAL_SETTINGS[key], key);
      continue;
    }
    const m = VARIABLE.exec(key);
    if (!m) continue;
    const [, prefix, replicaNo, replicaSetting, groupSetting] = m;
    if (!groupsWithUrl.has(prefix)) {
      throw new TopologyConfigError('environment', key, `set without DB_${prefix}_URL (the primary of that region)`);
    }
    const isGlobal = prefix === 'GLOBAL';
    const name = prefix.toLowerCase().replace(/_/g, '-');
    const group = isGlobal ? (global ??= {}) : (regions[name] ??= {});
    const base = isGlobal ? 'global' : `regions.${name}`;
    if (!variables.has(base)) {
      // Settings left unset are still named by the variable that would set them.
      variables.set(base, `DB_${prefix}_URL`);
      for (const [suffix, setting] of Object.entries(GROUP_SETTINGS)) variables.set(`${base}.${setting}`, `DB_${prefix}_${suffix}`);
    }
    if (replicaNo === undefined) {
      if (groupSetting === 'REGION' && !isGlobal) {
        throw new TopologyConfigError('environment', key, 'only the global database and replicas take a _REGION');
      }
      if (groupSetting === 'CACHE_URL' && isGlobal) {
        throw new TopologyConfigError('environment', key, 'a cache belongs to a region (DB_<REGION>_CACHE_URL), not to the global database');
      }
      set(group, GROUP_SETTINGS[groupSetting], value, `${base}.${GROUP_SETTINGS[groupSetting]}`, key);
      continue;
    }
    const replicaKey = `${prefix}/${replicaNo}`;
    if (!replicaIndex.has(replicaKey)) {
      if (!matches.includes(`DB_${prefix}_REPLICA${replicaNo}_URL`)) {
        throw new TopologyConfigError('environment', key, `set without DB_${prefix}_REPLICA${replicaNo}_URL`);
      }
      const replicas = (group.replicas ??= []) as Record<string, unknown>[];
      replicas.push({ id: `${isGlobal ? 'global' : name}-replica-${replicaNo}` });
      replicaIndex.set(replicaKey, replicas.length - 1);
    }
    const index = replicaIndex.get(replicaKey)!;
    const replica = (group.replicas as Record<string, unknown>[])[index];
    const setting = REPLICA_SETTINGS[replicaSetting];
    replica[setting] = value;
    variables.set(`${base}.replicas[${index}].${setting}`, key);
    variables.set(`${base}.replicas[${index}]`, `DB_${prefix}_REPLICA${replicaNo}_URL`);
  }
  return { raw: { ...root, regions, ...(global ? { global } : {}) }, variables };
}
