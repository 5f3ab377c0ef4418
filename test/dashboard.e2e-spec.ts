import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { INestApplication } from '@nestjs/common';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import request from 'supertest';
import { TokenService } from '../src/auth/token.service';
import { RedisService } from '../libs/regional-db/src/redis/redis.service';
import { allEndpoints, allGroups } from '../libs/regional-db/src/config/topology.types';
import type { Topology } from '../libs/regional-db/src/config/topology.types';
import * as local from '../tools/topology/local-topology';
import { bearer, createTestApp } from './support/app';
import { failoverTopologyOptions, freshFailoverTopology } from './support/failover-topology';
import { parseExposition, value } from './support/prometheus-exposition';
import { closeApp, suitePrefix } from './support/suite';

const PRIMARY = 'us-east-primary';
const REPLICAS = ['us-east-replica-1', 'us-east-replica-2'];
const ARTIFACTS = join(process.cwd(), 'test-artifacts');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// A failover changes who is primary: this suite kills the primary of a small topology of its own.
describe('dashboard in headless Chromium on a real topology', () => {
  const options = failoverTopologyOptions([], { name: 'dashboard-topology', portOffset: 600 });
  const previousPrefix = process.env.REDIS_PREFIX;
  const prefix = suitePrefix('dashboard');
  let topology: Topology;
  let app: INestApplication;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;
  const pageErrors: string[] = [];
  const screenshot = (name: string) => page.screenshot({ path: join(ARTIFACTS, name), fullPage: true });

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    topology = await freshFailoverTopology(options);
    // State, alerts and failover history of this run only.
    process.env.REDIS_PREFIX = prefix;
    app = await createTestApp({ topology });
    baseUrl = await app.getUrl();
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await closeApp(app, prefix);
    process.env.REDIS_PREFIX = previousPrefix;
    await local.down(options);
  }, 120_000);

  it('is served with a strict content security policy, its script and styles beside it', async () => {
    const http = request(app.getHttpServer());
    const html = await http.get('/dashboard');
    expect(html.status).toBe(200);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.headers['content-security-policy']).toContain("script-src 'self'");
    expect(html.text).toContain('<script type="module" src="/dashboard/dashboard.js"></script>');
    // The front end's TypeScript compiled for the browser (ES modules) and its stylesheet, as files.
    const script = await http.get('/dashboard/dashboard.js');
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    expect(script.text).toContain("from './dashboard-logic.js'");
    expect((await http.get('/dashboard/dashboard-logic.js')).text).toContain('export function groupTone(');
    expect((await http.get('/dashboard/dashboard.css')).headers['content-type']).toMatch(/^text\/css/);
    expect((await http.get('/dashboard/status.js')).status).toBe(404);
  });

  it('asks for a token, refuses a bad one, then draws every group with its primary and replicas', async () => {
    await page.goto(`${baseUrl}/dashboard`);
    await page.locator('#login').waitFor();
    await page.fill('#token', 'not-a-token');
    await page.click('#login-form button');
    await page.locator('#login-error').waitFor();
    expect(await page.locator('#login-error').textContent()).toMatch(/^Signed out: /);

    await page.fill('#token', app.get(TokenService).sign({ sub: 'dashboard-test', roles: ['viewer'] }));
    await page.click('#login-form button');
    for (const group of allGroups(topology)) {
      await page.locator(`[data-group="${group.name}"][data-tone="ok"]`).waitFor({ timeout: 15_000 });
      expect(await page.locator(`[data-group="${group.name}"] [data-role="primary"]`).getAttribute('data-endpoint')).toBe(group.primary.id);
      expect(await page.locator(`[data-group="${group.name}"] .badge[data-epoch]`).textContent()).toBe('epoch 1');
    }
    for (const endpoint of allEndpoints(topology)) {
      await page.locator(`[data-endpoint="${endpoint.id}"][data-tone="ok"]`).waitFor({ timeout: 15_000 });
    }
    expect(await page.locator(`[data-endpoint="${REPLICAS[0]}"] .stats`).textContent()).toMatch(/RTT\d+(\.\d+)? ms/);
    expect(await page.locator('#overall').textContent()).toBe('healthy');
    expect(await page.locator('#failovers').textContent()).toContain('No failover recorded');
    // The token stays in this tab's session storage, and reloading keeps the user signed in.
    await page.reload();
    await page.locator(`[data-group="us-east"]`).waitFor();
    await screenshot('dashboard-1-healthy.png');
  });

  it('a killed primary turns red, then the promoted replica is shown as primary and the old one fenced', async () => {
    await local.killServer(options, PRIMARY);
    await page.locator(`[data-endpoint="${PRIMARY}"][data-tone="down"]`).waitFor({ timeout: 30_000 });
    await screenshot('dashboard-2-primary-down.png');

    const promotedNode = page.locator(`[data-group="us-east"] [data-role="primary"]:not([data-endpoint="${PRIMARY}"])`);
    await promotedNode.waitFor({ timeout: 30_000 });
    const promoted = await promotedNode.getAttribute('data-endpoint');
    expect(REPLICAS).toContain(promoted);
    // The dead old primary is a former primary, apart from the replicas and not counted among them.
    await page.locator(`[data-group="us-east"] .former [data-endpoint="${PRIMARY}"][data-role="former-primary"][data-fenced="true"][data-tone="down"]`).waitFor({ timeout: 15_000 });
    expect(await page.locator(`[data-group="us-east"] .tier-replicas [data-endpoint="${PRIMARY}"]`).count()).toBe(0);
    await page.locator('.stat', { hasText: '1 former primary not counted' }).waitFor({ timeout: 15_000 });
    await page.locator(`[data-group="us-east"] .badge[data-epoch="2"]`).waitFor({ timeout: 15_000 });
    const row = page.locator('#failovers tbody tr').first();
    await row.locator('.outcome-completed').waitFor({ timeout: 15_000 });
    expect(await row.textContent()).toContain(`${PRIMARY} → ${promoted}`);
    // Replaced and fenced, the dead old primary is reported as awaiting rejoin, not as down.
    await page.locator('#alerts [data-alert="endpoint_fenced"]').waitFor({ timeout: 15_000 });
    // Pushed, not polled: the group's down state was shown (and logged) before the promotion, however fast.
    const log = await page.locator('#events [data-event-group="us-east"]').evaluateAll((items) => items.map((i) => i.getAttribute('data-event')));
    expect(log).toContain('group-down');
    expect(log.indexOf('primary-changed')).toBeGreaterThanOrEqual(0);
    expect(log.indexOf('primary-changed')).toBeLessThan(log.indexOf('group-down')); // newest first
    await screenshot('dashboard-3-promoted.png');

    // The same story in /metrics: the epoch moved and the failover was counted.
    const families = parseExposition((await request(app.getHttpServer()).get('/metrics')).text);
    expect(value(families, 'db_group_epoch', { group: 'us-east' })).toBe(2);
    expect(value(families, 'db_failovers_total', { group: 'us-east', outcome: 'completed' })).toBe(1);
    expect(value(families, 'db_endpoint_up', { endpoint: promoted! })).toBe(1);
    expect(value(families, 'db_endpoint_primary', { endpoint: promoted! })).toBe(1);
    expect(pageErrors).toEqual([]);
  });

  it('an admin switches over from the page, after a confirmation that can be cancelled', async () => {
    // A viewer is offered no action.
    expect(await page.locator('[data-action="switchover"]').count()).toBe(0);
    await page.click('#sign-out');
    await page.fill('#token', app.get(TokenService).sign({ sub: 'dashboard-admin', roles: ['admin'] }));
    await page.click('#login-form button');
    const group = page.locator('article[data-group="us-east"]');
    const current = await group.getAttribute('data-primary');
    const target = REPLICAS.find((id) => id !== current)!;
    await page.locator(`[data-endpoint="${target}"][data-role="replica"][data-tone="ok"]`).waitFor({ timeout: 30_000 });

    await group.locator('[data-action="switchover"]').click();
    // Nothing to offer where no replica could be promoted (the small topology's global group is a primary alone).
    expect(await page.locator('article[data-group="global"] [data-action="switchover"]').count()).toBe(0);
    await page.locator('#confirm[open]').waitFor();
    expect(await page.locator('#confirm-title').textContent()).toBe('Switch over us-east?');
    expect(await page.locator('#confirm-target option').allTextContents()).toEqual(['the most caught-up replica', target]);
    await page.click('#confirm-cancel');
    await page.locator('#confirm').waitFor({ state: 'hidden' });
    expect(await group.getAttribute('data-primary')).toBe(current);

    await group.locator('[data-action="switchover"]').click();
    await page.selectOption('#confirm-target', target);
    await screenshot('dashboard-4-confirm-switchover.png');
    await page.click('#confirm-go');
    await page.locator('#confirm').waitFor({ state: 'hidden', timeout: 60_000 });
    await page.locator(`[data-group="us-east"][data-primary="${target}"] .badge[data-epoch="3"]`).waitFor({ timeout: 15_000 });
    await page.locator(`[data-group="us-east"] .former [data-endpoint="${current}"][data-role="former-primary"]`).waitFor({ timeout: 15_000 });
    await page.locator('#events [data-event="action"]').waitFor();
    expect(await page.locator('#failovers tbody tr').first().textContent()).toContain(`${current} → ${target}`);
    expect(pageErrors).toEqual([]);
  });

  it('an admin pauses and resumes automatic failover of a group and acknowledges an alert, each after a confirmation', async () => {
    const http = () => request(app.getHttpServer());
    const pausedOf = async (name: string) => ((await http().get('/api/database/status').set('Authorization', bearer(app, 'viewer'))).body.groups as { name: string; failoverPaused: unknown }[]).find((g) => g.name === name)!.failoverPaused;
    const group = page.locator('article[data-group="us-east"]');
    await group.locator('[data-action="pause"]').waitFor({ timeout: 15_000 });

    // Cancelled: nothing paused.
    await group.locator('[data-action="pause"]').click();
    await page.locator('#confirm[open]').waitFor();
    expect(await page.locator('#confirm-title').textContent()).toBe('Pause automatic failover of us-east?');
    expect(await page.locator('#confirm-choice').isHidden()).toBe(true);
    await page.fill('#confirm-note-input', 'cancelled on purpose');
    await page.click('#confirm-cancel');
    await page.locator('#confirm').waitFor({ state: 'hidden' });
    expect(await pausedOf('us-east')).toBeNull();
    expect(await group.getAttribute('data-paused')).toBe('false');

    // Confirmed with a reason: the API holds the pause and the page shows who and why, pushed by the stream.
    await group.locator('[data-action="pause"]').click();
    await page.locator('#confirm[open]').waitFor();
    expect(await page.locator('#confirm-note-input').inputValue()).toBe(''); // the cancelled reason is not kept
    await page.fill('#confirm-note-input', 'kernel upgrade of the primary');
    await screenshot('dashboard-5-confirm-pause.png');
    await page.click('#confirm-go');
    await page.locator('#confirm').waitFor({ state: 'hidden', timeout: 15_000 });
    await group.locator('[data-badge="paused"]').waitFor({ timeout: 15_000 });
    expect(await pausedOf('us-east')).toMatchObject({ scope: 'us-east', by: 'dashboard-admin', reason: 'kernel upgrade of the primary' });
    expect(await group.locator('[data-badge="paused"]').textContent()).toBe('failover paused by dashboard-admin');
    expect(await group.locator('[data-pause-reason]').textContent()).toBe('Automatic failover paused: kernel upgrade of the primary');
    expect(await page.locator('article[data-group="global"]').getAttribute('data-paused')).toBe('false');
    await screenshot('dashboard-6-paused.png');

    // A viewer sees the pause too, and is offered no action.
    const viewerPage = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await viewerPage.goto(`${baseUrl}/dashboard`);
      await viewerPage.fill('#token', app.get(TokenService).sign({ sub: 'dashboard-viewer', roles: ['viewer'] }));
      await viewerPage.click('#login-form button');
      await viewerPage.locator('article[data-group="us-east"] [data-badge="paused"]').waitFor({ timeout: 15_000 });
      expect(await viewerPage.locator('[data-action]').count()).toBe(0);
    } finally {
      await viewerPage.close();
    }

    // Resumed, after a cancel that changes nothing.
    await group.locator('[data-action="resume"]').click();
    await page.locator('#confirm[open]').waitFor();
    expect(await page.locator('#confirm-title').textContent()).toBe('Resume automatic failover of us-east?');
    expect(await page.locator('#confirm-note').isHidden()).toBe(true);
    await page.click('#confirm-cancel');
    await page.locator('#confirm').waitFor({ state: 'hidden' });
    expect(await pausedOf('us-east')).not.toBeNull();
    await group.locator('[data-action="resume"]').click();
    await page.click('#confirm-go');
    await page.locator('#confirm').waitFor({ state: 'hidden', timeout: 15_000 });
    await page.locator('article[data-group="us-east"][data-paused="false"]').waitFor({ timeout: 15_000 });
    expect(await group.locator('[data-badge="paused"]').count()).toBe(0);
    expect(await pausedOf('us-east')).toBeNull();

    // The killed first primary is still down and fenced: its endpoint_fenced alert is active (the suite's own incident).
    const alerts = async () => (await http().get('/api/database/alerts').set('Authorization', bearer(app, 'viewer'))).body.active as { id: string; type: string; endpointId: string; acknowledged?: unknown }[];
    const down = (await alerts()).find((a) => a.type === 'endpoint_fenced' && a.endpointId === PRIMARY)!;
    expect(down).toBeDefined();
    const item = page.locator(`#alerts [data-alert-id="${down.id}"]`);
    await item.locator('[data-action="acknowledge"]').click();
    await page.locator('#confirm[open]').waitFor();
    expect(await page.locator('#confirm-title').textContent()).toBe('Acknowledge this alert?');
    await page.click('#confirm-cancel');
    await page.locator('#confirm').waitFor({ state: 'hidden' });
    expect((await alerts()).find((a) => a.id === down.id)!.acknowledged ?? null).toBeNull();
    await item.locator('[data-action="acknowledge"]').click();
    await page.click('#confirm-go');
    await page.locator('#confirm').waitFor({ state: 'hidden', timeout: 15_000 });
    await page.locator(`#alerts [data-alert-id="${down.id}"][data-acknowledged="true"]`).waitFor({ timeout: 15_000 });
    expect(await item.locator('.alert-ack').textContent()).toMatch(/^acknowledged by dashboard-admin \d+ s ago$/);
    expect(await item.locator('[data-action="acknowledge"]').count()).toBe(0);
    expect((await alerts()).find((a) => a.id === down.id)).toMatchObject({ acknowledged: { by: 'dashboard-admin' } });
    await screenshot('dashboard-7-acknowledged.png');
    expect(pageErrors).toEqual([]);
  });

  it('pages through the whole failover history', async () => {
    // Twelve more records in this suite's history (its own Redis prefix), as many past incidents would leave.
    const redis = app.get(RedisService);
    const history = () => request(app.getHttpServer()).get('/api/database/failover-history?limit=1').set('Authorization', bearer(app, 'viewer'));
    const { failovers: [newest], total: real } = (await history()).body;
    for (let i = 0; i < 12; i++) await redis.client!.rpush(redis.key('failover-history'), JSON.stringify({ ...newest, id: `older-${i}`, group: 'global' }));
    const total = real + 12;
    expect((await history()).body).toMatchObject({ total, offset: 0 });
    await page.reload();
    await page.locator('#history-page', { hasText: `1–10 of ${total}` }).waitFor({ timeout: 15_000 });
    expect(await page.locator('#failovers tbody tr').count()).toBe(10);
    expect(await page.locator('#history-newer').isDisabled()).toBe(true);
    await page.click('#history-older');
    await page.locator('#history-page', { hasText: `11–${total} of ${total}` }).waitFor();
    expect(await page.locator('#failovers tbody tr').count()).toBe(total - 10);
    expect(await page.locator('#failovers tbody tr').last().getAttribute('data-failover')).toBe('older-11');
    expect(await page.locator('#history-older').isDisabled()).toBe(true);
    await screenshot('dashboard-8-history-page-2.png');
    await page.click('#history-newer');
    await page.locator('#history-page', { hasText: `1–10 of ${total}` }).waitFor();
    expect(pageErrors).toEqual([]);
  });
});
