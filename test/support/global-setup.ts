// Once before the e2e suites: the dashboard's front end built (the app serves it from dist/dashboard), and a
// Redis key prefix of this run's own, under which every suite's prefix is made (suitePrefix), so that the
// global teardown can find and count whatever the run left in the shared Redis.
import { randomUUID } from 'node:crypto';
import { buildDashboard } from '../../tools/dashboard/build';

export default function globalSetup(): void {
  buildDashboard();
  process.env.REDIS_PREFIX = `${process.env.REDIS_PREFIX ?? 'rdr-test:'}run-${randomUUID().slice(0, 8)}:`;
}
