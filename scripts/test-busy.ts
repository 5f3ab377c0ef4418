// npm run test:busy [-- --runs 3] [-- <npm test args>]: the test suite while other processes keep every core
// busy, several times in a row. A test that passes only on a quiet machine is a bug: this is how to find one.
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { runCli } from './cli';

/** One process spinning on one core until killed. */
function burner(): ChildProcess {
  const child = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
  child.on('error', () => undefined);
  return child;
}

runCli(async () => {
  const args = process.argv.slice(2);
  const at = args.indexOf('--runs');
  const runs = at === -1 ? 3 : Number(args[at + 1]);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${args[at + 1]}`);
  const passthrough = at === -1 ? args : [...args.slice(0, at), ...args.slice(at + 2)];
  const burners = cpus().map(burner);
  const stop = () => burners.forEach((b) => b.kill('SIGKILL'));
  process.once('SIGINT', () => (stop(), process.exit(130)));
  const results: string[] = [];
  try {
    for (let run = 1; run <= runs; run++) {
      console.log(`\n=== run ${run} of ${runs}, with ${burners.length} busy processes beside it ===`);
      const started = Date.now();
      const { status } = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/test.ts', ...passthrough], { stdio: 'inherit' });
      results.push(`run ${run}: ${status === 0 ? 'passed' : `FAILED (exit ${status})`} in ${Math.round((Date.now() - started) / 1000)} s`);
      console.log(results[results.length - 1]);
      if (status !== 0) break;
    }
  } finally {
    stop();
  }
  console.log(`\n${results.join('\n')}`);
  if (results.length < runs || results.some((r) => r.includes('FAILED'))) process.exitCode = 1;
});
