// Which servers a topology has: ids, port offsets, groups and the region each one sits in.

export type ServerKind = 'primary' | 'replica';

export interface ServerSpec {
  id: string;
  /** Replication group: a region's name, or `global`. */
  group: string;
  /** Region the server sits in (a global replica lives in another region than its primary). */
  region: string;
  offset: number;
  /** Role at creation; `rejoin` updates it. The live role is whatever `pg_is_in_recovery()` says. */
  kind: ServerKind;
  /** The server a replica streams from. */
  upstream?: string;
  database: string;
}

export const REGIONS = ['us-east', 'eu-west', 'asia-pacific'] as const;
export const DEFAULT_REGION = 'us-east';
export const GLOBAL_GROUP = 'global';
export const GLOBAL_HOME_REGION = 'us-east';

const primary = (group: string, region: string, offset: number, database: string): ServerSpec => ({
  id: `${group}-primary`, group, region, offset, kind: 'primary', database,
});
const replica = (group: string, n: number, region: string, offset: number, database: string): ServerSpec => ({
  id: `${group}-replica-${n}`, group, region, offset, kind: 'replica', upstream: `${group}-primary`, database,
});

const FULL: ServerSpec[] = [
  primary('global', GLOBAL_HOME_REGION, 0, 'app_global'),
  replica('global', 1, 'eu-west', 1, 'app_global'),
  replica('global', 2, 'asia-pacific', 2, 'app_global'),
  primary('us-east', 'us-east', 10, 'app'),
  replica('us-east', 1, 'us-east', 11, 'app'),
  replica('us-east', 2, 'us-east', 12, 'app'),
  primary('eu-west', 'eu-west', 20, 'app'),
  replica('eu-west', 1, 'eu-west', 21, 'app'),
  primary('asia-pacific', 'asia-pacific', 30, 'app'),
  replica('asia-pacific', 1, 'asia-pacific', 31, 'app'),
];

const SMALL_IDS = new Set(['global-primary', 'us-east-primary', 'us-east-replica-1', 'us-east-replica-2']);

export function layout(small: boolean): ServerSpec[] {
  return FULL.filter((s) => !small || SMALL_IDS.has(s.id)).map((s) => ({ ...s }));
}

/** Groups in the order the topology file lists them. */
export function groupOrder(): string[] {
  return [...REGIONS, GLOBAL_GROUP];
}
