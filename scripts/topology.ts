// npm run topology -- <command> [options]: a real local multi-region PostgreSQL topology (see usage below).
import {
  delayPath,
  down,
  FaultProxyStatus,
  freezeServer,
  heal,
  killServer,
  partition,
  pauseReplay,
  proxyStatus,
  rejoin,
  restore,
  resumeReplay,
  setClientRegion,
  startRegion,
  startServer,
  status,
  stopRegion,
  stopServer,
  thawServer,
  topologyEnv,
  topologyFilePath,
  TopologyOptionsInput,
  up,
} from '../tools/topology/local-topology';
import { loadState, requireState } from '../tools/topology/state';
import { resolveOptions, StepLog } from '../tools/topology/options';
import { redisHaEnv, startRedisHa } from '../tools/topology/redis-ha';

const USAGE = `usage: npm run topology -- <command> [options]

commands:
  up [--small] [--sync <region>]... [--proxy | --latency | --no-proxy]
                                      create/start the topology (idempotent), write topology.json;
                                      --sync: that region's primary waits for one replica (ANY 1),
                                      --no-sync: turn it off again (default: keep what the topology has);
                                      --proxy: a fault proxy in front of every server (topology.json points
                                      at it), --latency: the same with real delays between regions,
                                      --no-proxy: remove it (default: keep what the topology has)
     [--redis-ha]                     also a Redis primary, a replica and 3 sentinels (REDIS_SENTINELS)
  down                                stop every server (and the proxy) and remove the data folder
  status                              id, port, running, role, pid of every server; the proxy's rules
  kill <id> | freeze <id> | thaw <id> kill -9 / SIGSTOP / SIGCONT the server's processes
  kill <id> --postmaster              kill -9 of the postmaster alone, as an OOM kill (backends exit by themselves)
  stop <id> | start <id>              clean stop (pg_ctl -m fast) / start (also after a kill)
  pause-replay <id> | resume-replay <id>
  stop-region <region> | start-region <region>
  restore                             after a drill: thaw the frozen, start the stopped, resume paused replay
  rejoin <id> --primary <newPrimaryId> make a failed old primary a replica of the new one (pg_rewind)
  partition <id> [--client <instanceId>] [--mode blackhole|reset]
                                      cut the path from a client (default every client) to a server:
                                      blackhole (silence, default) or reset (connections cut at once)
  delay <id> <ms> [--client <instanceId>]
                                      add <ms> each way (RTT + 2x<ms>) on that path
  heal [<id>] [--client <instanceId>] remove the matching proxy rules (default all)
  client-region <instanceId> <region> place a client in a region for --latency (default us-east)
  env                                 print the DB_* variables (with password) for: eval "$(npm run -s topology -- env)"

options (also from the environment):
  --dir <folder>      TOPOLOGY_DIR        default <repo>/.local/topology
  --port-base <n>     TOPOLOGY_PORT_BASE  default 25400
  (the proxy listens on port base + 50 + the server's offset, its control API on port base + 49)
  A client is the part after the last "/" of its application_name (<purpose>/<instanceId>).
`;

class UsageError extends Error {}

interface Parsed {
  command: string | undefined;
  args: string[];
  opts: TopologyOptionsInput;
  primary?: string;
  postmasterOnly?: boolean;
  client?: string;
  mode?: string;
  redisHa?: boolean;
}

function parse(argv: string[]): Parsed {
  const args: string[] = [];
  const opts: TopologyOptionsInput = {};
  let primary: string | undefined;
  let postmasterOnly = false;
  let client: string | undefined;
  let mode: string | undefined;
  let redisHa = false;
  const sync: string[] = [];
  let syncGiven = false;
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let value: string | undefined;
    if (arg.startsWith('--') && arg.includes('=')) [arg, value] = [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)];
    const next = () => {
      const v = value ?? argv[++i];
      if (v === undefined || v === '') throw new UsageError(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '--small':
        opts.small = true;
        break;
      case '--sync':
        syncGiven = true;
        sync.push(...next().split(',').map((s) => s.trim()).filter(Boolean));
        break;
      case '--redis-ha':
        redisHa = true;
        break;
      case '--no-sync':
        syncGiven = true;
        break;
      case '--dir':
        opts.dir = next();
        break;
      case '--port-base': {
        const v = next();
        if (!/^\d+$/.test(v)) throw new UsageError(`--port-base must be a number (got ${v})`);
        opts.portBase = Number(v);
        break;
      }
      case '--primary':
        primary = next();
        break;
      case '--postmaster':
        postmasterOnly = true;
        break;
      case '--proxy':
      case '--latency':
      case '--no-proxy': {
        const chosen = arg === '--proxy' ? 'pass' : arg === '--latency' ? 'latency' : 'off';
        if (opts.proxy !== undefined && opts.proxy !== chosen) throw new UsageError('choose one of --proxy, --latency and --no-proxy');
        opts.proxy = chosen;
        break;
      }
      case '--client':
        client = next();
        break;
      case '--mode':
        mode = next();
        break;
      case '-h':
      case '--help':
        args.unshift('help');
        break;
      default:
        if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
        args.push(arg);
    }
  }
  if (syncGiven) opts.sync = sync;
  opts.dir ??= process.env.TOPOLOGY_DIR || undefined;
  if (opts.portBase === undefined && process.env.TOPOLOGY_PORT_BASE) {
    if (!/^\d+$/.test(process.env.TOPOLOGY_PORT_BASE)) throw new UsageError(`TOPOLOGY_PORT_BASE must be a number`);
    opts.portBase = Number(process.env.TOPOLOGY_PORT_BASE);
  }
  return { command: args[0], args: args.slice(1), opts, primary, postmasterOnly, client, mode, redisHa };
}

function oneId(p: Parsed, what = 'id'): string {
  if (p.args.length !== 1) throw new UsageError(`${p.command} takes exactly one <${what}>`);
  return p.args[0];
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd()).join('\n');
}

async function printStatus(opts: TopologyOptionsInput): Promise<void> {
  const rows = await status(opts);
  console.log(
    table([
      ['ID', 'PORT', 'APP PORT', 'REGION', 'RUNNING', 'ROLE', 'PID'],
      ...rows.map((r) => [r.id, String(r.port), String(r.appPort), r.region, r.running ? 'yes' : 'no', r.role, r.pid === null ? '-' : String(r.pid)]),
    ]),
  );
  printProxy(await proxyStatus(opts));
}

function printProxy(proxy: FaultProxyStatus | null): void {
  if (!proxy) return;
  const connections = (counts: Record<string, number>) => Object.entries(counts).map(([client, n]) => `${client}:${n}`).join(' ') || '-';
  console.log(`\nfault proxy: latency ${proxy.latency ? 'on' : 'off'}, clients without a region are in ${proxy.defaultClientRegion}`);
  console.log(table([['SERVER', 'PROXY PORT', 'CONNECTIONS (client:n)'], ...proxy.servers.map((s) => [s.id, String(s.port), connections(s.connections)])]));
  const fault = (r: FaultProxyStatus['rules'][number]) => (r.fault.mode === 'delay' ? `delay ${r.fault.ms} ms` : r.fault.mode);
  console.log(proxy.rules.length ? `\n${table([['SERVER', 'CLIENT', 'RULE'], ...proxy.rules.map((r) => [r.server, r.client, fault(r)])])}` : '\nrules: none (every path passes)');
  const regions = Object.entries(proxy.clientRegions);
  if (regions.length) console.log(`client regions: ${regions.map(([client, region]) => `${client}=${region}`).join(', ')}`);
}

function faultMode(p: Parsed): 'blackhole' | 'reset' {
  if (p.mode === undefined || p.mode === 'blackhole' || p.mode === 'reset') return p.mode ?? 'blackhole';
  throw new UsageError(`--mode must be blackhole or reset (got ${p.mode})`);
}

function milliseconds(value: string): number {
  if (!/^\d+(\.\d+)?$/.test(value)) throw new UsageError(`delay takes a number of milliseconds (got ${value})`);
  return Number(value);
}

const shellQuote = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;

async function main(argv: string[]): Promise<void> {
  const p = parse(argv);
  const { opts } = p;
  const expectNoArgs = () => {
    if (p.args.length) throw new UsageError(`${p.command} takes no arguments (got ${p.args.join(' ')})`);
  };
  const pathCommands = ['partition', 'delay', 'heal'];
  if (p.client !== undefined && !pathCommands.includes(p.command ?? '')) throw new UsageError(`--client is for ${pathCommands.join(', ')}`);
  if (p.mode !== undefined && p.command !== 'partition') throw new UsageError('--mode is for partition');
  switch (p.command) {
    case undefined:
    case 'help':
      console.log(USAGE);
      return;
    case 'up':
      expectNoArgs();
      const { dir, portBase } = await up(opts);
      if (p.redisHa) await startRedisHa(dir, portBase, new StepLog(resolveOptions(opts).log));
      await printStatus(opts);
      console.log(`\nexport TOPOLOGY_FILE=${shellQuote(topologyFilePath(opts))}`);
      for (const [key, value] of Object.entries(p.redisHa ? redisHaEnv(dir, portBase) : {})) console.log(`export ${key}=${shellQuote(value)}`);
      return;
    case 'down':
      expectNoArgs();
      await down(opts);
      return;
    case 'status':
      expectNoArgs();
      await printStatus(opts);
      return;
    case 'kill':
      return killServer(opts, oneId(p), { postmasterOnly: p.postmasterOnly });
    case 'freeze':
      return freezeServer(opts, oneId(p));
    case 'thaw':
      return thawServer(opts, oneId(p));
    case 'stop':
      return stopServer(opts, oneId(p));
    case 'start':
      return startServer(opts, oneId(p));
    case 'pause-replay':
      return pauseReplay(opts, oneId(p));
    case 'resume-replay':
      return resumeReplay(opts, oneId(p));
    case 'stop-region':
      return stopRegion(opts, oneId(p, 'region'));
    case 'start-region':
      return startRegion(opts, oneId(p, 'region'));
    case 'restore': {
      expectNoArgs();
      const repairs = await restore(opts);
      console.log(repairs.length ? repairs.join('\n') : 'nothing to restore: every server runs');
      return;
    }
    case 'rejoin':
      if (!p.primary) throw new UsageError('rejoin needs --primary <newPrimaryId>');
      return rejoin(opts, oneId(p), p.primary);
    case 'partition':
      await partition(opts, oneId(p), { client: p.client, mode: faultMode(p) });
      return;
    case 'delay':
      if (p.args.length !== 2) throw new UsageError('delay takes <id> <ms>');
      await delayPath(opts, p.args[0], milliseconds(p.args[1]), { client: p.client });
      return;
    case 'heal':
      if (p.args.length > 1) throw new UsageError('heal takes at most one <id>');
      await heal(opts, { server: p.args[0], client: p.client });
      return;
    case 'client-region':
      if (p.args.length !== 2) throw new UsageError('client-region takes <instanceId> <region>');
      return setClientRegion(opts, p.args[0], p.args[1]);
    case 'env': {
      expectNoArgs();
      const state = requireState(resolveOptions(opts).dir);
      for (const [key, value] of topologyEnv(state)) console.log(`export ${key}=${shellQuote(value)}`);
      return;
    }
    default:
      throw new UsageError(`unknown command "${p.command}"`);
  }
}

/** Error text without the app password, whatever produced it. */
function redact(text: string, argv: string[]): string {
  let out = text.replace(/(postgres(?:ql)?:\/\/[^:/@\s]*):[^@\s]*@/gi, '$1:***@');
  try {
    const dir = parse(argv).opts.dir;
    const password = loadState(resolveOptions({ dir }).dir)?.password;
    if (password) out = out.split(password).join('***');
  } catch {
    // no state to read: nothing more to hide
  }
  return out;
}

// Output piped into `head` must not abort a half-done up/down: ignore a closed stdout.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

const argv = process.argv.slice(2);
main(argv).then(
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`topology: ${error.message}\n\n${USAGE}`);
    } else {
      const message = error instanceof Error ? (error.name === 'TopologyError' ? error.message : error.stack ?? error.message) : String(error);
      console.error(`topology: ${redact(message, argv)}`);
    }
    process.exit(1);
  },
);
