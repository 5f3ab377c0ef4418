import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { INestApplication } from '@nestjs/common';
import { DatabaseHealthMonitorService } from '../libs/regional-db/src/health/database-health-monitor.service';
import type { EndpointHealthEvent } from '../libs/regional-db/src/health/database-health-monitor.service';
import * as local from '../tools/topology/local-topology';
import { createTestApp, eventually } from './support/app';
import { runScript } from './support/cli';
import { chaos, topologyOptions } from './support/test-topology';
import { closeApp, suitePrefix } from './support/suite';

const VICTIM = 'us-east-replica-2';

/** The CLI as `npm run chaos` runs it, in a child process: the service under test keeps serving in this one. */
const runChaos = (args: string[]) => runScript('scripts/chaos.ts', args);

describe('npm run chaos against a service started here, on the shared topology', () => {
  const previousPrefix = process.env.REDIS_PREFIX;
  const prefix = suitePrefix('chaos-cli');
  const downs: string[] = [];
  let app: INestApplication;
  let target: string[];

  beforeAll(async () => {
    process.env.REDIS_PREFIX = prefix;
    app = await createTestApp();
    app.get(DatabaseHealthMonitorService).events.on('endpoint-down', (e: EndpointHealthEvent) => downs.push(e.endpointId));
    target = ['--url', await app.getUrl(), '--topology-dir', topologyOptions.dir, '--port-base', String(topologyOptions.portBase)];
  });
  afterAll(async () => {
    // Whatever happened, the shared topology is left whole for the suites that follow.
    await chaos.start(VICTIM);
    const monitor = app.get(DatabaseHealthMonitorService);
    await eventually(async () => (await monitor.runRound(), monitor.health(VICTIM).isHealthy), 30_000, 200);
    await closeApp(app, prefix);
    process.env.REDIS_PREFIX = previousPrefix;
  });

  it('--test-simulated-failure: kills a replica, the service marks it down and reads go on, the replica is restarted; exit 0', async () => {
    const run = await runChaos(['--test-simulated-failure', '--endpoint', VICTIM, '--timeout', '60', ...target]);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    const out = run.stdout;
    // Progress as plain lines (stdout is a pipe here), then the report.
    expect(out).toMatch(new RegExp(`^\\[\\+\\s+\\d+\\.\\d\\d s\\] ✓ simulated-failure · kill -9 ${VICTIM} \\(\\d+\\.\\d\\d s\\)$`, 'm'));
    expect(out).toMatch(new RegExp(`^PASS  simulated-failure .* kill -9 replica ${VICTIM}`, 'm'));
    expect(out).toMatch(new RegExp(`✓ the service marked ${VICTIM} down \\d+\\.\\d\\d s after the kill`));
    expect(out).toMatch(/✓ (\d+)\/\1 reads in us-east succeeded meanwhile/);
    expect(out).toMatch(/✓ no failover: us-east-primary still primary of us-east/);
    // Milliseconds, or seconds past one (a busy machine detects in 1.8 s as well as in 900 ms).
    expect(out).toMatch(/timings: detection \d+(\.\d+)? m?s · recovery \d/);
    expect(out).toContain(`restored: ${VICTIM} started again and healthy in the service`);
    expect(out).toMatch(/1 check: 1 passed, 0 failed\s*$/);

    // The service really saw it, and the replica really is back.
    expect(downs).toContain(VICTIM);
    expect(app.get(DatabaseHealthMonitorService).health(VICTIM).isHealthy).toBe(true);
    expect((await local.status(topologyOptions)).find((s) => s.id === VICTIM)).toMatchObject({ running: true, role: 'replica' });
  });

  it('a check that cannot pass is reported as FAIL with exit code 1, touching nothing', async () => {
    const run = await runChaos(['--test-simulated-failure', '--endpoint', 'no-such-replica', ...target]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^FAIL  simulated-failure/m);
    expect(run.stdout).toContain('✗ error: the service has no endpoint "no-such-replica"');
    expect(run.stdout).toMatch(/1 check: 0 passed, 1 failed/);
  });

  it('refuses to act on a topology the service does not run on, and bad usage, with exit code 2', async () => {
    const wrongBase = await runChaos(['--test-health-check', ...target.slice(0, 4), '--port-base', String(topologyOptions.portBase + 1)]);
    expect(wrongBase.code).toBe(2);
    expect(wrongBase.stderr).toContain(`has port base ${topologyOptions.portBase}, not ${topologyOptions.portBase + 1}`);
    const usage = await runChaos(['--scenario', 'meteor-strike']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/unknown scenario "meteor-strike" \(known: primary-failure, network-partition, replica-lag, high-load, region-outage\)/);
  });
});
