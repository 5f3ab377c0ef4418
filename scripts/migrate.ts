// npm run migrate: apply the SQL migrations to every region's primary and to the global primary.
// Each group gets up to MIGRATE_WAIT_MS (default 60 s) to show a writable primary; one that does not is
// reported on its own line and left for a later run, so one region's outage does not keep the others from
// their API (docker-compose's APIs wait for this job). Exit 0 when every group reached is migrated and at
// least one is; MIGRATE_REQUIRE_ALL=true also makes an unreachable group exit 1 (a job restarted until all are).
import { loadTopology, migrateGroups, migrationExitCode } from '@regional-db/nestjs';
import { runCli } from './cli';

const MAX_WAIT_MS = 86_400_000;

function waitMs(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return 60_000;
  const ms = Number(value);
  if (!/^\d+$/.test(value.trim()) || ms > MAX_WAIT_MS) {
    throw new Error(`Invalid setting MIGRATE_WAIT_MS: must be a whole number of milliseconds from 0 to ${MAX_WAIT_MS}, got "${value}"`);
  }
  return ms;
}

function requireAll(value: string | undefined): boolean {
  if (value === undefined || value.trim() === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw new Error(`Invalid setting MIGRATE_REQUIRE_ALL: must be true or false, got "${value}"`);
}

runCli(async () => {
  const options = { waitMs: waitMs(process.env.MIGRATE_WAIT_MS), requireAll: requireAll(process.env.MIGRATE_REQUIRE_ALL) };
  const outcomes = await migrateGroups(loadTopology(process.env), process.cwd(), {
    waitMs: options.waitMs,
    log: (line, outcome) => (outcome.status === 'migrated' ? console.log(line) : console.error(line)),
  });
  process.exitCode = migrationExitCode(outcomes, options);
});
