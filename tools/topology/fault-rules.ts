// What the fault proxy does on each (client, server) path: the rules set at run time, the clients' regions and
// the latency model under them.
import { oneWayDelayMs } from './latency';
import { TopologyError } from './options';

export const FAULT_MODES = ['pass', 'delay', 'blackhole', 'reset'] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

/** `delay`: one-way ms added to every chunk in both directions (the round trip grows by twice that). */
export type Fault = { mode: 'pass' } | { mode: 'delay'; ms: number } | { mode: 'blackhole' } | { mode: 'reset' };

export const ANY_CLIENT = '*';

export interface PathRule {
  server: string;
  /** An instance id (the part of application_name after the last `/`), or `*` for every client. */
  client: string;
  fault: Fault;
}

/** What one chunk on a path gets now: forwarded after `delayMs`, dropped, or the connection cut. */
export type PathAction = { mode: 'forward'; delayMs: number } | { mode: 'blackhole' } | { mode: 'reset' };

export interface PathTableOptions {
  servers: readonly { id: string; region: string }[];
  /** Delays between regions from the latency table under every path without a rule of its own. */
  latency: boolean;
  /** Region of a client that has none assigned. */
  defaultClientRegion: string;
}

/** Checks a fault from outside (the control API, the CLI): throws a readable error. */
export function parseFault(mode: string, ms?: unknown): Fault {
  if (mode === 'delay') {
    const value = Number(ms);
    if (ms === undefined || ms === '' || !Number.isFinite(value) || value < 0 || value > 60_000) {
      throw new TopologyError(`delay needs a number of milliseconds between 0 and 60000 (got ${ms === undefined ? 'nothing' : String(ms)})`);
    }
    return { mode, ms: value };
  }
  if (mode === 'pass' || mode === 'blackhole' || mode === 'reset') return { mode };
  throw new TopologyError(`unknown mode "${mode}" (known: ${FAULT_MODES.join(', ')})`);
}

export class PathTable {
  private readonly rules = new Map<string, PathRule>();
  private readonly clientRegions = new Map<string, string>();
  private readonly serverRegions: Map<string, string>;
  latency: boolean;

  constructor(private readonly options: PathTableOptions) {
    this.serverRegions = new Map(options.servers.map((s) => [s.id, s.region]));
    this.latency = options.latency;
  }

  setRule(rule: PathRule): void {
    this.requireServer(rule.server);
    if (!rule.client) throw new TopologyError('a rule needs a client: an instance id or "*"');
    this.rules.set(key(rule.server, rule.client), { ...rule, fault: { ...rule.fault } });
  }

  /** Removes the rules of `server` (every server when omitted) for `client` (every client when omitted). */
  clearRules(filter: { server?: string; client?: string } = {}): PathRule[] {
    if (filter.server !== undefined) this.requireServer(filter.server);
    const removed = [...this.rules.values()].filter(
      (r) => (filter.server === undefined || r.server === filter.server) && (filter.client === undefined || r.client === filter.client),
    );
    for (const r of removed) this.rules.delete(key(r.server, r.client));
    return removed;
  }

  setClientRegion(client: string, region: string): void {
    const known = new Set(this.serverRegions.values());
    if (!known.has(region)) throw new TopologyError(`unknown region "${region}" (known: ${[...known].join(', ')})`);
    this.clientRegions.set(client, region);
  }

  clientRegion(client: string): string {
    return this.clientRegions.get(client) ?? this.options.defaultClientRegion;
  }

  list(): { rules: PathRule[]; clientRegions: Record<string, string> } {
    return { rules: [...this.rules.values()], clientRegions: Object.fromEntries(this.clientRegions) };
  }

  /** The client's own rule first, then the server's `*` rule, then the latency model, then a plain pass. */
  actionFor(server: string, client: string): PathAction {
    const rule = this.rules.get(key(server, client)) ?? this.rules.get(key(server, ANY_CLIENT));
    if (rule) {
      if (rule.fault.mode === 'delay') return { mode: 'forward', delayMs: rule.fault.ms };
      if (rule.fault.mode === 'pass') return { mode: 'forward', delayMs: 0 };
      return { mode: rule.fault.mode };
    }
    const serverRegion = this.serverRegions.get(server);
    if (!this.latency || serverRegion === undefined) return { mode: 'forward', delayMs: 0 };
    return { mode: 'forward', delayMs: oneWayDelayMs(this.clientRegion(client), serverRegion) };
  }

  private requireServer(id: string): void {
    if (!this.serverRegions.has(id)) throw new TopologyError(`unknown server "${id}" (known: ${[...this.serverRegions.keys()].join(', ')})`);
  }
}

const key = (server: string, client: string) => `${server}\0${client}`;
