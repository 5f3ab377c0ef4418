// Once before the e2e suites: the library built (suites that run the compiled service load it from
// libs/regional-db/dist, as the package's `main` says), the dashboard's front end built (the app serves it from
// dist/dashboard), and a Redis key prefix of this run's own, under which every suite's prefix is made
// (suitePrefix), so that the global teardown can find and count whatever the run left in the shared Redis.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { buildDashboard } from '../../tools/dashboard/build';

export default function globalSetup(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'libs/regional-db/tsconfig.lib.json'], { stdio: 'inherit' });
  buildDashboard();
  process.env.REDIS_PREFIX = `${process.env.REDIS_PREFIX ?? 'rdr-test:'}run-${randomUUID().slice(0, 8)}:`;
}
