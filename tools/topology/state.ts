// state.json: which servers a topology has, their ports and roles, shared by every process that acts on it.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { ProxyMode } from './fault-proxy-process';
import { ServerSpec } from './layout';
import { TopologyError, topologyPaths } from './options';
import { writeOwnedFile } from './exec';

export interface ServerState extends ServerSpec {
  port: number;
  dataDir: string;
  logFile: string;
}

export interface TopologyState {
  version: 1;
  dir: string;
  portBase: number;
  small: boolean;
  sync: string[];
  /** The fault proxy in front of every server (the app's URLs point at it); absent: none. */
  proxy?: ProxyMode;
  /** Password of the `app` role on every server; never print it. */
  password: string;
  binDir: string;
  createdAt: string;
  servers: ServerState[];
}

export const newPassword = () => randomBytes(12).toString('hex');

export function loadState(dir: string): TopologyState | undefined {
  const file = topologyPaths(dir).state;
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as TopologyState;
  } catch (error) {
    throw new TopologyError(`${file} is not valid JSON (${(error as Error).message})`);
  }
}

export function requireState(dir: string): TopologyState {
  const state = loadState(dir);
  if (!state) throw new TopologyError(`no topology in ${dir} (run "up" first, or pass --dir / TOPOLOGY_DIR)`);
  return state;
}

export function saveState(state: TopologyState): void {
  writeOwnedFile(topologyPaths(state.dir).state, `${JSON.stringify(state, null, 2)}\n`, 0o600);
}

export function findServer(state: TopologyState, id: string): ServerState {
  const server = state.servers.find((s) => s.id === id);
  if (!server) {
    throw new TopologyError(`unknown endpoint "${id}" (known: ${state.servers.map((s) => s.id).join(', ')})`);
  }
  return server;
}

export function serversInRegion(state: TopologyState, region: string): ServerState[] {
  const servers = state.servers.filter((s) => s.region === region);
  if (!servers.length) {
    const regions = [...new Set(state.servers.map((s) => s.region))];
    throw new TopologyError(`unknown region "${region}" (known: ${regions.join(', ')})`);
  }
  return servers;
}
