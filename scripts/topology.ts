// npm run topology -- <command> [options]: a real local multi-region PostgreSQL topology (see usage below).
import {
  down,
  freezeServer,
  killServer,
  pauseReplay,
  rejoin,
  resumeReplay,
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
  up [--small] [--sync <region>]...   create/start the topology (idempotent), write topology.json;
                                      --sync: that region's primary waits for one replica (ANY 1),
                                      --no-sync: turn it off again (default: keep what the topology has)
     [--redis-ha]                     also a Redis primary, a replica and 3 sentinels (REDIS_SENTINELS)
  down                                stop every server and remove the data folder
  status                              id, port, running, role, pid of every server
  kill <id> | freeze <id> | thaw <id> kill -9 / SIGSTOP / SIGCONT the server's processes
  stop <id> | start <id>              clean stop (pg_ctl -m fast) / start (also after a kill)
  pause-replay <id> | resume-replay <id>
  stop-region <region> | start-region <region>
  rejoin <id> --primary <newPrimaryId> make a failed old primary a replica of the new one (pg_rewind)
  env                                 print the DB_* variables (with password) for: eval "$(npm run -s topology -- env)"

options (also from the environment):
  --dir <folder>      TOPOLOGY_DIR        default <repo>/.local/topology
  --port-base <n>     TOPOLOGY_PORT_BASE  default 55400
`;

class UsageError extends Error {}

interface Parsed {
  command: string | undefined;
  args: string[];
  opts: TopologyOptionsInput;
  primary?: string;
  redisHa?: boolean;
}

function parse(argv: string[]): Parsed {
  const args: string[] = [];
  const opts: TopologyOptionsInput = {};
  let primary: string | undefined;
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
  return { command: args[0], args: args.slice(1), opts, primary, redisHa };
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
      ['ID', 'PORT', 'REGION', 'RUNNING', 'ROLE', 'PID'],
      ...rows.map((r) => [r.id, String(r.port), r.region, r.running ? 'yes' : 'no', r.role, r.pid === null ? '-' : String(r.pid)]),
    ]),
  );
}

const shellQuote = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;

async function main(argv: string[]): Promise<void> {
  const p = parse(argv);
  const { opts } = p;
  const expectNoArgs = () => {
    if (p.args.length) throw new UsageError(`${p.command} takes no arguments (got ${p.args.join(' ')})`);
  };
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
      return killServer(opts, oneId(p));
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
    case 'rejoin':
      if (!p.primary) throw new UsageError('rejoin needs --primary <newPrimaryId>');
      return rejoin(opts, oneId(p), p.primary);
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
