// npm start: the service on the configured topology, or, when none is configured, on a local topology
// that it brings up and migrates first (it stays up afterwards: `npm run topology -- down` removes it).
// package.json runs this with `exec`, so npm's forwarded SIGTERM reaches this process (not a shell that would
// die alone), and this process hands it to the service and exits with it.
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { ensureSecretFile, secretFilePath } from '../src/auth/auth.settings';
import { hasEnvTopology, loadTopology, migrateTopology } from '@regional-db/nestjs';
import { topologyFilePath, up } from '../tools/topology/local-topology';
import { buildDashboard } from '../tools/dashboard/build';
import { runCli } from './cli';

runCli(async () => {
  const env = { ...process.env };
  if (!env.TOPOLOGY_FILE && !hasEnvTopology(env)) {
    const options = {
      dir: env.TOPOLOGY_DIR ?? join(process.cwd(), '.local/topology'),
      portBase: Number(env.TOPOLOGY_PORT_BASE ?? 25400),
      small: false,
      sync: [],
    };
    console.log('no topology configured: bringing up the local topology');
    await up(options);
    env.TOPOLOGY_FILE = topologyFilePath(options);
  }
  await migrateTopology(loadTopology(env), process.cwd());
  // Without a configured key, the service and `npm run token` share one local secret file.
  if (!['JWT_SECRET', 'JWT_PUBLIC_KEY', 'JWT_PRIVATE_KEY'].some((name) => env[name]?.trim())) ensureSecretFile(secretFilePath(env));
  console.log('building');
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  buildDashboard();
  const app = spawn(process.execPath, ['--experimental-vm-modules', 'dist/src/main.js'], { stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => app.kill(signal));
  await new Promise<void>((resolve) => app.on('exit', (code) => ((process.exitCode = code ?? 0), resolve())));
});
