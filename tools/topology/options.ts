// Options shared by every topology command, with their defaults, and where things live in the data folder.
import type { ProxyMode } from './fault-proxy-process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export interface LocalTopologyOptions {
  /** Data folder, default `<repo>/.local/topology`. */
  dir: string;
  /** First port, default 25400 (below the kernel's ephemeral range, 32768+: no client socket holds it). */
  portBase: number;
  /** Only us-east (primary + 2 replicas) and the global primary. */
  small: boolean;
  /** Groups (region names, or `global`) whose primary waits for one replica on commit. */
  sync: string[];
  /** A fault proxy in front of every server (`latency`: with delays between regions); `off` removes it. */
  proxy?: ProxyMode | 'off';
  /** Progress output, one line per step with elapsed ms (default console.log). */
  log?: (line: string) => void;
}

export type TopologyOptionsInput = Partial<LocalTopologyOptions>;

export interface ResolvedOptions {
  dir: string;
  /** Undefined when the caller did not choose: the existing topology's, else DEFAULT_PORT_BASE. */
  portBase: number | undefined;
  small: boolean;
  /** Undefined when the caller did not choose: keep what the topology already uses. */
  sync: string[] | undefined;
  /** Undefined when the caller did not choose: keep what the topology already has. */
  proxy: ProxyMode | 'off' | undefined;
  log: (line: string) => void;
}

export const DEFAULT_PORT_BASE = 25400;
/** Ports used above the base: servers and caches below +40, the fault proxy from +49 to +81. */
const PORT_SPAN = 90;

export class TopologyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TopologyError';
  }
}

/** The nearest folder above the working directory holding a package.json (works from CJS and ESM alike). */
export function repoRoot(from = process.cwd()): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return resolve(from);
  }
}

export function resolveOptions(input: TopologyOptionsInput = {}): ResolvedOptions {
  const portBase = input.portBase;
  if (portBase !== undefined && (!Number.isInteger(portBase) || portBase < 1024 || portBase > 65535 - PORT_SPAN)) {
    throw new TopologyError(`port base must be an integer between 1024 and ${65535 - PORT_SPAN} (got ${portBase})`);
  }
  return {
    dir: resolve(input.dir ?? join(repoRoot(), '.local', 'topology')),
    portBase,
    small: input.small ?? false,
    sync: input.sync,
    proxy: input.proxy,
    log: input.log ?? ((line: string) => console.log(line)),
  };
}

/** Where each file of a topology lives. Logs sit beside the data folders, not inside them, so that
 * pg_basebackup and pg_rewind do not copy one server's log into another. */
export function topologyPaths(dir: string) {
  return {
    dir,
    state: join(dir, 'state.json'),
    topology: join(dir, 'topology.json'),
    sockets: join(dir, 'sockets'),
    logs: join(dir, 'logs'),
    data: join(dir, 'data'),
    dataDir: (id: string) => join(dir, 'data', id),
    logFile: (id: string) => join(dir, 'logs', `${id}.log`),
  };
}

/** Runs labelled steps and reports each with its duration and the time since the command began. */
export class StepLog {
  readonly started = Date.now();
  constructor(private readonly log: (line: string) => void) {}

  line(text: string): void {
    this.log(`[+${String(Date.now() - this.started).padStart(6)} ms] ${text}`);
  }

  /** `label` may be a function of the result, e.g. `(r) => \`start x: ${r}\``. */
  async step<T>(label: string | ((result: T) => string), fn: () => Promise<T>): Promise<T> {
    const t0 = Date.now();
    try {
      const result = await fn();
      this.line(`${typeof label === 'string' ? label : label(result)} (${Date.now() - t0} ms)`);
      return result;
    } catch (error) {
      const name = typeof label === 'string' ? label : label(undefined as T).replace(/: undefined$/, '');
      this.line(`${name} FAILED after ${Date.now() - t0} ms`);
      throw error;
    }
  }
}

/** Runs the functions given to it at most `n` at a time. */
export function limiter(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    while (active >= n) await new Promise<void>((wake) => waiting.push(wake));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
