// Benches that need Nest's dependency injection run from the tsc build: tsx (esbuild) emits no decorator
// metadata. Under tsx this builds once (incremental) and re-runs the same bench compiled.
import { execFileSync, spawnSync } from 'node:child_process';
import { relative, resolve } from 'node:path';
import { runBench } from './run';

export function runCompiled(file: string, main: () => Promise<void>): void {
  if (file.endsWith('.js')) return runBench(main);
  const root = resolve(__dirname, '../..');
  const tsc = resolve(root, 'node_modules/typescript/bin/tsc');
  // The app loads @regional-db/nestjs from the library's own build (libs/regional-db/dist): built first, or a
  // bench would measure the library as it was at its last build.
  execFileSync(process.execPath, [tsc, '-p', resolve(root, 'libs/regional-db/tsconfig.lib.json')], { stdio: 'inherit' });
  execFileSync(process.execPath, [tsc, '-p', resolve(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  const compiled = resolve(root, 'dist', relative(root, file)).replace(/\.ts$/, '.js');
  const run = spawnSync(process.execPath, ['--experimental-vm-modules', '--no-warnings', compiled, ...process.argv.slice(2)], { stdio: 'inherit', env: process.env });
  process.exit(run.status ?? 1);
}
