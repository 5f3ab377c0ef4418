// What the app reads: topology.json (TOPOLOGY_FILE) or the equivalent seed-002 DB_* variables.
import { DEFAULT_REGION, GLOBAL_GROUP, GLOBAL_HOME_REGION, REGIONS } from './layout';
import { writeOwnedFile } from './exec';
import { ADMIN_ROLE, APP_ROLE } from './cluster';
import { appPort } from './fault-proxy-process';
import { runningCacheUrls } from './region-caches';
import { ServerState, TopologyState } from './state';

const POOL = { max: 10, connectTimeoutMs: 3000, statementTimeoutMs: 15000, idleTimeoutMs: 30000 };
const GROUP_TIMING = { healthIntervalMs: 30000, failoverTimeoutMs: 60000 };

/** The URL the app uses: through the fault proxy when the topology has one. */
export function serverUrl(state: TopologyState, server: ServerState): string {
  return `postgresql://${APP_ROLE}:${state.password}@127.0.0.1:${appPort(state, server)}/${server.database}`;
}

/** The failover's own role, on the maintenance database (a fenced application database admits no one). */
export function adminUrl(state: TopologyState, server: ServerState): string {
  return `postgresql://${ADMIN_ROLE}:${state.password}@127.0.0.1:${appPort(state, server)}/postgres`;
}

const endpointUrls = (state: TopologyState, server: ServerState) => ({ url: serverUrl(state, server), adminUrl: adminUrl(state, server) });

/** The servers of a group as created: the `<group>-primary` first, then its replicas by number. */
function groupMembers(state: TopologyState, group: string): { primary?: ServerState; replicas: ServerState[] } {
  const members = state.servers.filter((s) => s.group === group);
  const replicaNo = (s: ServerState) => Number(/-replica-(\d+)$/.exec(s.id)?.[1] ?? 0);
  return {
    primary: members.find((s) => s.id === `${group}-primary`),
    replicas: members.filter((s) => s.id !== `${group}-primary`).sort((a, b) => replicaNo(a) - replicaNo(b)),
  };
}

export function buildTopologyFile(state: TopologyState): Record<string, unknown> {
  const regions: Record<string, unknown> = {};
  const caches = runningCacheUrls(state.dir, state.portBase, REGIONS);
  for (const region of REGIONS) {
    const { primary, replicas } = groupMembers(state, region);
    if (!primary) continue;
    regions[region] = {
      ...GROUP_TIMING,
      primary: { id: primary.id, ...endpointUrls(state, primary) },
      replicas: replicas.map((r) => ({ id: r.id, ...endpointUrls(state, r) })),
      ...(caches[region] ? { cacheUrl: caches[region] } : {}),
    };
  }
  const file: Record<string, unknown> = { defaultRegion: DEFAULT_REGION, pool: POOL, regions };
  const global = groupMembers(state, GLOBAL_GROUP);
  if (global.primary) {
    file.global = {
      region: GLOBAL_HOME_REGION,
      primary: { id: global.primary.id, ...endpointUrls(state, global.primary) },
      replicas: global.replicas.map((r) => ({ id: r.id, ...endpointUrls(state, r), region: r.region, roles: ['read'] })),
    };
  }
  return file;
}

export function writeTopologyFile(state: TopologyState, file: string): void {
  writeOwnedFile(file, `${JSON.stringify(buildTopologyFile(state), null, 2)}\n`, 0o600);
}

/** The same topology as seed 002's variables (DB_US_EAST_URL, DB_US_EAST_REPLICA1_URL, ..., DB_GLOBAL_URL). */
export function topologyEnv(state: TopologyState): [string, string][] {
  const vars: [string, string][] = [
    ['DB_DEFAULT_REGION', DEFAULT_REGION],
    ['DB_POOL_MAX', String(POOL.max)],
    ['DB_POOL_CONNECT_TIMEOUT', String(POOL.connectTimeoutMs)],
    ['DB_STATEMENT_TIMEOUT', String(POOL.statementTimeoutMs)],
    ['DB_POOL_IDLE_TIMEOUT', String(POOL.idleTimeoutMs)],
  ];
  const prefixOf = (group: string) => `DB_${group.toUpperCase().replace(/-/g, '_')}`;
  const replicaNo = (s: ServerState, i: number) => Number(/-replica-(\d+)$/.exec(s.id)?.[1] ?? i + 1);
  const caches = runningCacheUrls(state.dir, state.portBase, REGIONS);
  for (const region of REGIONS) {
    const { primary, replicas } = groupMembers(state, region);
    if (!primary) continue;
    const p = prefixOf(region);
    vars.push([`${p}_URL`, serverUrl(state, primary)], [`${p}_ADMIN_URL`, adminUrl(state, primary)]);
    vars.push([`${p}_HEALTH_INTERVAL`, String(GROUP_TIMING.healthIntervalMs)]);
    vars.push([`${p}_FAILOVER_TIMEOUT`, String(GROUP_TIMING.failoverTimeoutMs)]);
    replicas.forEach((r, i) =>
      vars.push([`${p}_REPLICA${replicaNo(r, i)}_URL`, serverUrl(state, r)], [`${p}_REPLICA${replicaNo(r, i)}_ADMIN_URL`, adminUrl(state, r)]),
    );
    if (caches[region]) vars.push([`${p}_CACHE_URL`, caches[region]]);
  }
  const global = groupMembers(state, GLOBAL_GROUP);
  if (global.primary) {
    const p = prefixOf(GLOBAL_GROUP);
    vars.push([`${p}_URL`, serverUrl(state, global.primary)], [`${p}_ADMIN_URL`, adminUrl(state, global.primary)]);
    vars.push([`${p}_REGION`, GLOBAL_HOME_REGION]);
    global.replicas.forEach((r, i) => {
      const n = replicaNo(r, i);
      vars.push([`${p}_REPLICA${n}_URL`, serverUrl(state, r)], [`${p}_REPLICA${n}_ADMIN_URL`, adminUrl(state, r)]);
      vars.push([`${p}_REPLICA${n}_REGION`, r.region]);
      vars.push([`${p}_REPLICA${n}_ROLES`, 'read']);
    });
  }
  return vars;
}
