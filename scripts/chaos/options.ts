// Command line of `npm run chaos`: which checks to run, against which service and local topology.
import { join } from 'node:path';
import { repoRoot } from '../../tools/topology/options';

export const TESTS = ['health-check', 'simulated-failure', 'manual-failover'] as const;
export const SCENARIOS = ['primary-failure', 'network-partition', 'replica-lag', 'high-load', 'region-outage'] as const;
export type CheckName = (typeof TESTS)[number] | (typeof SCENARIOS)[number];
/** `--all`: the gentle checks first, those that move a primary last. */
export const ALL_CHECKS: readonly CheckName[] = ['health-check', 'simulated-failure', 'replica-lag', 'high-load', 'region-outage', 'network-partition', 'primary-failure', 'manual-failover'];

export interface ChaosOptions {
  checks: CheckName[];
  url: string;
  /** Bearer token with the admin role; minted from JWT_SECRET / the secret file when absent. */
  token: string | null;
  topologyDir: string;
  portBase: number | null;
  /** Replication group to act on (default: the service's default region). */
  region: string | null;
  /** Replica to act on (simulated failure, replica lag). */
  endpoint: string | null;
  /** Bound of every wait for the service to notice or recover. */
  timeoutMs: number;
  loadSeconds: number;
  concurrency: number;
  verbose: boolean;
  help: boolean;
}

export const USAGE = `usage: npm run chaos -- <checks> [options]

Breaks the local topology under a running service and checks that the service notices and copes,
printing a pass/fail report with timings. Exit code 0 only when every selected check passes.

checks (one or more):
  --test-health-check         service live and ready, every endpoint healthy, primaries agree with the servers
  --test-simulated-failure    kill -9 a replica: the service marks it down, reads keep working; restart it
  --test-manual-failover      POST /api/database/failover/<region>: new primary, epoch + 1, writes resume
  --scenario <name>           primary-failure | network-partition | replica-lag | high-load | region-outage
                              (repeatable, or comma-separated)
  --all                       every test and scenario (${ALL_CHECKS.join(', ')})

options:
  --url <url>                 the service (default CHAOS_URL or http://127.0.0.1:3000)
  --token <jwt>               admin bearer token (default: minted like \`npm run token -- --role admin\`)
  --topology-dir <dir>        local topology (default TOPOLOGY_DIR or <repo>/.local/topology)
  --port-base <n>             its port base, checked against the topology (default TOPOLOGY_PORT_BASE)
  --region <group>            replication group to break (default: the service's default region;
                              region-outage: another region)
  --endpoint <id>             replica to break (simulated-failure, replica-lag)
  --timeout <s>               bound of each wait for the service (default 45)
  --load-seconds <s>          high-load duration (default 10)
  --concurrency <n>           high-load requests in flight (default 16)
  --verbose                   every HTTP call and topology action
  -h, --help

What a check breaks it restores: restarts, thaws, resumes replay, starts the region; a former primary is
rejoined as a replica of the new one (pg_rewind) and stays fenced in the service.`;

export class UsageError extends Error {}

const positiveNumber = (flag: string, raw: string, min: number, max: number): number => {
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) throw new UsageError(`${flag} must be a number from ${min} to ${max} (got ${raw})`);
  return value;
};

export function parseChaosArgs(argv: readonly string[], env: NodeJS.ProcessEnv): ChaosOptions {
  const checks = new Set<CheckName>();
  const options: ChaosOptions = {
    checks: [],
    url: env.CHAOS_URL?.trim() || 'http://127.0.0.1:3000',
    token: null,
    topologyDir: env.TOPOLOGY_DIR?.trim() || join(repoRoot(), '.local', 'topology'),
    portBase: env.TOPOLOGY_PORT_BASE?.trim() ? positiveNumber('TOPOLOGY_PORT_BASE', env.TOPOLOGY_PORT_BASE, 1024, 65_495) : null,
    region: null,
    endpoint: null,
    timeoutMs: 45_000,
    loadSeconds: 10,
    concurrency: 16,
    verbose: false,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    let flag = argv[i];
    let inline: string | undefined;
    if (flag.startsWith('--') && flag.includes('=')) [flag, inline] = [flag.slice(0, flag.indexOf('=')), flag.slice(flag.indexOf('=') + 1)];
    const next = (): string => {
      const value = inline ?? argv[++i];
      if (value === undefined || value === '') throw new UsageError(`${flag} needs a value`);
      return value;
    };
    switch (flag) {
      case '--test-health-check':
      case '--test-simulated-failure':
      case '--test-manual-failover':
        checks.add(flag.slice('--test-'.length) as CheckName);
        break;
      case '--scenario':
        for (const name of next().split(',').map((s) => s.trim()).filter(Boolean)) {
          if (!(SCENARIOS as readonly string[]).includes(name)) throw new UsageError(`unknown scenario "${name}" (known: ${SCENARIOS.join(', ')})`);
          checks.add(name as CheckName);
        }
        break;
      case '--all':
        ALL_CHECKS.forEach((c) => checks.add(c));
        break;
      case '--url':
        options.url = next();
        break;
      case '--token':
        options.token = next().replace(/^Bearer\s+/i, '');
        break;
      case '--topology-dir':
        options.topologyDir = next();
        break;
      case '--port-base':
        options.portBase = positiveNumber(flag, next(), 1024, 65_495);
        break;
      case '--region':
        options.region = next();
        break;
      case '--endpoint':
        options.endpoint = next();
        break;
      case '--timeout':
        options.timeoutMs = positiveNumber(flag, next(), 1, 3_600) * 1000;
        break;
      case '--load-seconds':
        options.loadSeconds = positiveNumber(flag, next(), 1, 3_600);
        break;
      case '--concurrency':
        options.concurrency = Math.round(positiveNumber(flag, next(), 1, 512));
        break;
      case '--verbose':
        options.verbose = true;
        break;
      case '-h':
      case '--help':
        options.help = true;
        break;
      default:
        throw new UsageError(`unknown option ${flag}`);
    }
  }
  try {
    options.url = new URL(options.url).origin;
  } catch {
    throw new UsageError(`--url must be a URL like http://127.0.0.1:3000 (got ${options.url})`);
  }
  // In --all order, whatever order they were given in.
  options.checks = ALL_CHECKS.filter((c) => checks.has(c));
  if (!options.help && options.checks.length === 0) throw new UsageError('choose at least one check (--test-..., --scenario <name> or --all)');
  return options;
}
