// The operator's CLI (`regional-db`, `npm run cli`) in a child process, over real HTTP, against the whole
// application on the shared topology. Nothing here moves a primary: the switchover's success path is in
// test/maintenance.e2e-spec.ts, on a topology of its own.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { INestApplication } from '@nestjs/common';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { AlertService } from '../libs/regional-db/src/alerts/alert.service';
import { allEndpoints, allGroups } from '../libs/regional-db/src/config/topology.types';
import { DatabaseHealthMonitorService } from '../libs/regional-db/src/health/database-health-monitor.service';
import { createTestApp, eventually } from './support/app';
import { runCli } from './support/cli';
import { closeApp, suitePrefix } from './support/suite';
import { testTopology } from './support/test-topology';
import { TokenService } from '../src/auth/token.service';

/** A loopback port nothing listens on (it did a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

describe('regional-db CLI against the service over HTTP', () => {
  const topology = testTopology();
  const prefix = suitePrefix('cli');
  const previousPrefix = process.env.REDIS_PREFIX;
  let app: INestApplication;
  let admin: Record<string, string>;
  let viewer: Record<string, string>;

  beforeAll(async () => {
    process.env.REDIS_PREFIX = prefix;
    app = await createTestApp();
    const tokens = app.get(TokenService);
    const url = await app.getUrl();
    admin = { REGIONAL_DB_URL: url, REGIONAL_DB_TOKEN: tokens.sign({ sub: 'cli-admin', roles: ['admin'] }) };
    viewer = { REGIONAL_DB_URL: url, REGIONAL_DB_TOKEN: tokens.sign({ sub: 'cli-viewer', roles: ['viewer'] }) };
    const monitor = app.get(DatabaseHealthMonitorService);
    await eventually(async () => (await monitor.runRound(), allEndpoints(topology).every((e) => monitor.health(e.id).isHealthy)), 60_000, 500);
  }, 90_000);
  afterAll(async () => {
    await closeApp(app, prefix);
    process.env.REDIS_PREFIX = previousPrefix;
  });

  it('status: a table of every endpoint with role, lag, timeline, fenced and healthy; --json is the API answer', async () => {
    const { code, stdout, stderr } = await runCli(['status'], viewer);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const lines = stdout.trim().split('\n');
    expect(lines[0].split(/\s+/)).toEqual(['GROUP', 'ENDPOINT', 'ROLE', 'LAG', 'TIMELINE', 'FENCED', 'HEALTHY']);
    for (const group of allGroups(topology)) {
      const primary = lines.find((l) => l.split(/\s+/)[1] === group.primary.id)!;
      expect(primary.split(/\s+/)).toEqual([group.name, group.primary.id, 'primary', '1', 'yes']);
      for (const replica of group.replicas) {
        const row = lines.find((l) => l.split(/\s+/)[1] === replica.id)!;
        expect(row).toMatch(new RegExp(`^${group.name} +${replica.id} +replica +\\d+(\\.\\d)? k?B / \\d+ ms +1 +yes$`));
      }
    }

    const json = await runCli(['status', '--json'], viewer);
    expect(json.code).toBe(0);
    const answer = JSON.parse(json.stdout) as { groups: { name: string; failoverPaused: unknown }[] };
    expect(answer.groups.map((g) => g.name).sort()).toEqual(allGroups(topology).map((g) => g.name).sort());
  });

  it('pause and resume: shown in status, refused for a viewer, an unknown group named', async () => {
    const paused = await runCli(['pause', 'eu-west', '--reason', 'cli e2e'], admin);
    expect(paused).toEqual({ code: 0, stdout: 'automatic failover paused for eu-west\n', stderr: '' });
    const status = await runCli(['status'], viewer);
    expect(status.stdout).toMatch(/^eu-west: automatic failover PAUSED \(this group\) by cli-admin since \S+: cli e2e$/m);
    expect(JSON.parse((await runCli(['status', '--json'], viewer)).stdout).groups.find((g: { name: string }) => g.name === 'eu-west').failoverPaused).toMatchObject({ scope: 'eu-west', by: 'cli-admin' });

    const refused = await runCli(['resume', 'eu-west'], viewer);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('regional-db: 403 Forbidden: This route requires the admin role; the token has viewer (this needs a token with the admin role)\n');
    const unknown = await runCli(['pause', 'mars'], admin);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^regional-db: 404 Not Found: Unknown group "mars" \(known: .*us-east.*\)\n$/);

    expect(await runCli(['resume', 'eu-west'], admin)).toEqual({ code: 0, stdout: 'automatic failover resumed for eu-west\n', stderr: '' });
    expect((await runCli(['status'], viewer)).stdout).not.toMatch(/PAUSED/);
    expect((await runCli(['resume'], admin)).stdout).toBe('nothing was paused\n');
  });

  it('alerts: lists the active ones, acknowledges and silences one by id', async () => {
    const alert = await app.get(AlertService).raise('failover_failed', 'high', 'asia-pacific', 'cli e2e: no candidate');
    try {
      const listed = await runCli(['alerts'], viewer);
      expect(listed.code).toBe(0);
      expect(listed.stdout).toMatch(new RegExp(`^${alert.id} +${alert.severity} +failover_failed +asia-pacific +\\S+ +open +`, 'm'));

      expect(await runCli(['alerts', 'ack', alert.id], admin)).toEqual({ code: 0, stdout: `acknowledged failover_failed (asia-pacific): ${alert.message}\n`, stderr: '' });
      const silenced = await runCli(['alerts', 'silence', alert.id, '--for', '2h', '--comment', 'known'], admin);
      expect(silenced.code).toBe(0);
      expect(silenced.stdout).toMatch(/^silenced failover_failed \(asia-pacific\) until \S+Z\n$/);
      expect((await runCli(['alerts'], viewer)).stdout).toMatch(new RegExp(`^${alert.id} .* acked by cli-admin, silenced until \\S+ +\\S`, 'm'));
      const json = JSON.parse((await runCli(['alerts', '--json'], viewer)).stdout) as { active: { id: string; acknowledged: { by: string }; silenced: { comment: string } }[] };
      expect(json.active.find((a) => a.id === alert.id)).toMatchObject({ acknowledged: { by: 'cli-admin' }, silenced: { comment: 'known' } });

      const gone = await runCli(['alerts', 'ack', '00000000-0000-4000-8000-000000000000'], admin);
      expect(gone.code).toBe(1);
      expect(gone.stderr).toMatch(/^regional-db: 404 Not Found: No active alert "00000000-0000-4000-8000-000000000000"/);
    } finally {
      await app.get(AlertService).resolve(alert.key);
    }
  });

  it('history: a table of past failovers, or says there are none', async () => {
    const { code, stdout } = await runCli(['history', '--limit', '5'], viewer);
    expect(code).toBe(0);
    expect(stdout === 'no failovers recorded\n' || /^STARTED +GROUP +TRIGGER +FROM +TO +OUTCOME +TOTAL +REASON$/m.test(stdout)).toBe(true);
  });

  it('errors are one readable line: no token, a bad token, an unknown target, nothing listening, bad usage', async () => {
    const noToken = await runCli(['status'], { ...viewer, REGIONAL_DB_TOKEN: '' });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/^regional-db: set REGIONAL_DB_TOKEN/);

    const badToken = await runCli(['status'], { ...viewer, REGIONAL_DB_TOKEN: 'not-a-token' });
    expect(badToken.code).toBe(1);
    expect(badToken.stderr).toMatch(/^regional-db: 401 Unauthorized: .*\(REGIONAL_DB_TOKEN: npm run token -- --role admin\)\n$/);

    // Refused before anything happens: the target is not a member of the group.
    const target = await runCli(['failover', 'us-east', '--to', 'eu-west-primary'], admin);
    expect(target.code).toBe(1);
    expect(target.stderr).toMatch(/^regional-db: 404 Not Found: Unknown endpoint "eu-west-primary" in us-east/);
    const switchover = await runCli(['switchover', 'mars'], admin);
    expect(switchover.stderr).toMatch(/^regional-db: unknown group "mars" \(known: /);

    const closed = await closedPort();
    const nobody = await runCli(['status', '--url', `http://127.0.0.1:${closed}`], viewer);
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toBe(`regional-db: cannot reach http://127.0.0.1:${closed}: connection refused (is the service running there?)\n`);

    const usage = await runCli(['lsit'], viewer);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^regional-db: unknown command "lsit"\n\nusage: regional-db <command>/);
  });
});
