// npm test: unit tests, then one real local topology (global database + three regions with streaming
// replicas) brought up, migrated, shared by every end-to-end suite, and taken down whatever happens.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { loadTopologyFile, migrateTopology } from '@regional-db/nestjs';
import { down, topologyFilePath, up, LocalTopologyOptions } from '../tools/topology/local-topology';

const root = process.cwd();
const jest = (config: string, extra: string[] = [], env: NodeJS.ProcessEnv = process.env) =>
  spawnSync(process.execPath, ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js', '--config', config, ...extra], {
    stdio: 'inherit',
    env,
  }).status ?? 1;

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const only = args.includes('--e2e') ? 'e2e' : args.includes('--unit') ? 'unit' : 'all';
  const passthrough = args.filter((a) => a !== '--e2e' && a !== '--unit');
  if (only !== 'e2e') {
    const status = jest('jest.unit.config.js', only === 'unit' ? passthrough : []);
    if (status !== 0 || only === 'unit') return status;
  }
  const options: LocalTopologyOptions = {
    dir: process.env.TEST_TOPOLOGY_DIR ?? join(root, '.local/test-topology'),
    portBase: Number(process.env.TEST_TOPOLOGY_PORT_BASE ?? 26000),
    small: false,
    sync: [],
  };
  const stop = () => down(options).catch((error) => console.error(`topology down failed: ${error}`));
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  try {
    await up(options);
    const file = topologyFilePath(options);
    await migrateTopology(loadTopologyFile(file), root);
    return jest('jest.e2e.config.js', passthrough, {
      ...process.env,
      TOPOLOGY_FILE: file,
      TEST_TOPOLOGY_DIR: options.dir,
      TEST_TOPOLOGY_PORT_BASE: String(options.portBase),
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/14',
    });
  } finally {
    await stop();
  }
}

main().then(
  (status) => process.exit(status),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
