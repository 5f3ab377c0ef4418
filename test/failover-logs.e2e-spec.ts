// Everything the app logs during a real failover, captured: JSON lines only, the region and endpoint on the
// failover lines, and no password, JWT secret or bearer token anywhere.
import { afterAll, describe, expect, it } from '@jest/globals';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from '../src/app.module';
import { configureApp } from '../src/app.setup';
import { TokenService } from '../src/auth/token.service';
import { TopologyStateService } from '../libs/regional-db/src/topology-state/topology-state.service';
import * as local from '../tools/topology/local-topology';
import { eventually } from './support/app';
import { failoverTopologyOptions, freshFailoverTopology, WriteLoad } from './support/failover-topology';
import { AppLogger } from '../src/logging/app-logger';

describe('logs during a failover', () => {
  const options = failoverTopologyOptions();
  const lines: string[] = [];
  let app: INestApplication | undefined;

  afterAll(async () => {
    delete process.env.LOG_LEVEL;
    await app?.close();
    await local.down(options);
  });

  it('are JSON, name region and endpoint on failover lines, and never carry a secret', async () => {
    const topology = await freshFailoverTopology(options);
    process.env.REDIS_PREFIX = `failover-logs-${Date.now()}:`;
    process.env.LOG_LEVEL = 'info';
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule.forRoot({ topology, logDestination: { write: (line: string) => void lines.push(line) } })],
    }).compile();
    app = moduleRef.createNestApplication({ bufferLogs: true });
    app.useLogger(app.get(AppLogger));
    configureApp(app);
    await app.listen(0, '127.0.0.1');

    const token = app.get(TokenService).sign({ sub: 'log-test', roles: ['admin'] });
    const http = request(app.getHttpServer());
    await http.get('/api/database/status').set('Authorization', `Bearer ${token}`).expect(200);
    // A refused token is logged as a request too: it must be masked there as well.
    await http.get('/api/database/status').set('Authorization', `Bearer ${token}x`).expect(401);

    // Requests that open connections to us-east's primary: when it dies, those connections fail long after the
    // requests ended, and the lines saying so must not carry their ids.
    const requestIds = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const handle = `logs${i}${Date.now().toString(36)}`;
      const created = await http.post('/api/users').set('X-Region', 'us-east').send({ handle, email: `${handle}@example.com`, password: 'correct-horse-7' });
      expect([created.status, created.status === 201 ? '' : created.text]).toEqual([201, '']);
      requestIds.add(created.headers['x-request-id']);
    }
    const load = new WriteLoad(app);
    await eventually(async () => load.acknowledged.length > 10);
    await local.killServer(options, 'us-east-primary');
    const state = app.get(TopologyStateService);
    await eventually(async () => state.primaryOf('us-east') !== 'us-east-primary', 20_000);
    const fromFailover = () => lines.map((l) => JSON.parse(l)).filter((l) => l.context === 'RegionalFailoverService');
    await eventually(async () => fromFailover().some((l) => String(l.msg).includes('us-east-primary -> ')), 10_000);
    await load.stop();
    await http.get('/api/database/failover-history').set('Authorization', `Bearer ${token}`).expect(200);

    const secrets = [
      ...new Set([topology.groups[0].primary, ...topology.groups[0].replicas].map((e) => decodeURIComponent(new URL(e.url).password))),
      process.env.JWT_SECRET!,
      token,
      token.split('.')[2],
    ];
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) {
      expect(() => JSON.parse(line)).not.toThrow();
      for (const secret of secrets) expect(line).not.toContain(secret);
    }
    const completed = fromFailover().find((l) => String(l.msg).includes('us-east-primary -> '));
    expect(completed).toMatchObject({ region: 'us-east' });
    expect(completed.endpoint).toMatch(/^us-east-replica-[12]$/);

    // One line per step, in order, each with its duration.
    const steps = fromFailover().filter((l) => l.failover === completed.failover && l.step);
    expect(steps.map((l) => l.step)).toEqual(['select', 'promote', 'reroute', 'verify', 'repoint', 'fence']);
    for (const line of steps) expect(line).toMatchObject({ level: 'info', region: 'us-east', durationMs: expect.any(Number) });

    // Alerts: type, severity and group as fields, at the level their severity says.
    const alerts = lines.map((l) => JSON.parse(l)).filter((l) => l.context === 'AlertService' && l.alert);
    const levels: Record<string, string> = { low: 'info', medium: 'warn', high: 'error', critical: 'fatal' };
    for (const type of ['failover_triggered', 'failover_completed']) expect(alerts.some((l) => l.type === type && l.group === 'us-east')).toBe(true);
    for (const line of alerts) expect(line.level).toBe(line.alert === 'resolved' ? 'info' : levels[line.severity]);

    // Background lines (pool connections failing, probes, alerts, the failover) carry no request's id.
    const background = ['EndpointRegistry', 'DatabaseHealthMonitorService', 'AlertService', 'RegionalFailoverService'];
    const backgroundLines = lines.map((l) => JSON.parse(l)).filter((l) => background.includes(l.context));
    expect(backgroundLines.some((l) => l.context === 'EndpointRegistry')).toBe(true);
    for (const line of backgroundLines) expect(line.requestId).toBeUndefined();
    expect(lines.filter((l) => [...requestIds].some((id) => l.includes(id))).map((l) => JSON.parse(l).msg)).toEqual(expect.arrayContaining(['request completed']));
    for (const line of lines.filter((l) => [...requestIds].some((id) => l.includes(id)))) expect(JSON.parse(line).context ?? 'http').not.toMatch(/Registry|Monitor|Alert|Failover/);

    // Stopping says so.
    await app.close();
    app = undefined;
    expect(lines.map((l) => JSON.parse(l)).find((l) => l.context === 'Shutdown')).toMatchObject({ level: 'info', msg: 'shutting down' });
  });
});
