// npm run chaos -- <checks> [options]: seed 002's regional failover test script. Breaks the local topology
// under a running service (kill, freeze, paused replay, load, a region stopped), checks through the service's
// HTTP API that it notices and copes, restores what it broke, and prints a pass/fail report with timings.
// Exit code 0 only when every selected check passed. `npm run chaos -- --help` for the options.
import { ensureSecretFile, loadAuthSettings, secretFilePath } from '../src/auth/auth.settings';
import { TokenService } from '../src/auth/token.service';
import { redactSecrets } from '@regional-db/nestjs';
import { loadState } from '../tools/topology/state';
import { CHECKS } from './chaos/checks';
import type { ChaosContext } from './chaos/context';
import { ChaosOptions, parseChaosArgs, UsageError, USAGE } from './chaos/options';
import { Progress } from './chaos/progress';
import { CheckRecorder, CheckResult, formatReport } from './chaos/report';
import { ServiceClient } from './chaos/service-client';
import { validateEnvironment } from '../src/config/environment';

/** An admin token the service accepts, minted as `npm run token -- --role admin` does. */
function adminToken(options: ChaosOptions): string {
  if (options.token) return options.token;
  if (!['JWT_SECRET', 'JWT_PUBLIC_KEY', 'JWT_PRIVATE_KEY'].some((name) => process.env[name]?.trim())) ensureSecretFile(secretFilePath(validateEnvironment(process.env)));
  return new TokenService(loadAuthSettings(validateEnvironment(process.env))).sign({ sub: 'chaos-cli', roles: ['admin'] }, '1h');
}

/** Refuses to break servers that are not the ones the service runs on. */
async function checkSameTopology(ctx: ChaosContext): Promise<void> {
  const state = loadState(ctx.options.topologyDir);
  if (!state) throw new Error(`no local topology in ${ctx.options.topologyDir} (--topology-dir)`);
  if (ctx.options.portBase !== null && state.portBase !== ctx.options.portBase) {
    throw new Error(`the topology in ${ctx.options.topologyDir} has port base ${state.portBase}, not ${ctx.options.portBase}`);
  }
  const status = await ctx.service.status();
  for (const endpoint of status.groups.flatMap((g) => g.endpoints)) {
    const server = state.servers.find((s) => s.id === endpoint.id);
    const port = /:(\d+)\//.exec(endpoint.server)?.[1];
    if (!server || String(server.port) !== port) {
      throw new Error(`the service at ${ctx.options.url} does not run on the topology in ${ctx.options.topologyDir} (${endpoint.id} is ${endpoint.server} there, ${server ? `port ${server.port}` : 'absent'} here)`);
    }
  }
}

async function runCheck(ctx: ChaosContext, name: ChaosOptions['checks'][number]): Promise<CheckResult> {
  const rec = new CheckRecorder(name);
  const started = Date.now();
  ctx.progress.line(`── ${name}`);
  let error: string | null = null;
  try {
    await CHECKS[name](ctx, rec);
  } catch (e) {
    error = redactSecrets((e as Error).message ?? String(e));
  }
  await rec.runRestores();
  return rec.result(Date.now() - started, error);
}

async function main(): Promise<number> {
  const options = parseChaosArgs(process.argv.slice(2), process.env);
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const progress = new Progress(process.stdout, options.verbose);
  const ctx: ChaosContext = {
    service: new ServiceClient(options.url, adminToken(options), (line) => progress.detail(line)),
    topology: { dir: options.topologyDir, ...(options.portBase === null ? {} : { portBase: options.portBase }), log: (line) => progress.detail(line) },
    progress,
    options,
  };
  await progress.step('setup', `service ${options.url} runs on the topology in ${options.topologyDir}`, () => checkSameTopology(ctx));
  const results: CheckResult[] = [];
  for (const name of options.checks) results.push(await runCheck(ctx, name));
  console.log(formatReport(results, { url: options.url, topologyDir: options.topologyDir }));
  return results.every((r) => r.passed) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) console.error(`chaos: ${error.message}\n\n${USAGE}`);
    else console.error(`chaos: ${redactSecrets(error instanceof Error ? error.message : String(error))}`);
    process.exit(2);
  },
);
