import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import request from 'supertest';
import { TokenService } from '../src/auth/token.service';
import { allEndpoints, allGroups } from '../src/config/topology.types';
import type { Topology } from '../src/config/topology.types';
import * as local from '../tools/topology/local-topology';
import { createTestApp } from './support/app';
import { failoverTopologyOptions, freshFailoverTopology } from './support/failover-topology';
import { parseExposition, value } from './support/prometheus-exposition';

const PRIMARY = 'us-east-primary';
const REPLICAS = ['us-east-replica-1', 'us-east-replica-2'];
const ARTIFACTS = join(process.cwd(), 'test-artifacts');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// A failover changes who is primary: this suite kills the primary of a small topology of its own.
describe('dashboard in headless Chromium on a real topology', () => {
  const options = failoverTopologyOptions([], { name: 'dashboard-topology', portOffset: 600 });
  const previousPrefix = process.env.REDIS_PREFIX;
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
    process.env.REDIS_PREFIX = `dashboard-${randomUUID().slice(0, 8)}:`;
    app = await createTestApp({ topology });
    baseUrl = await app.getUrl();
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    process.env.REDIS_PREFIX = previousPrefix;
    await local.down(options);
  }, 120_000);

  it('is served with a strict content security policy, its script and styles beside it', async () => {
    const http = request(app.getHttpServer());
    const html = await http.get('/dashboard');
    expect(html.status).toBe(200);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.headers['content-security-policy']).toContain("script-src 'self'");
    expect((await http.get('/dashboard/dashboard.js')).headers['content-type']).toMatch(/^text\/javascript/);
    expect((await http.get('/dashboard/dashboard.css')).headers['content-type']).toMatch(/^text\/css/);
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
    await page.locator(`[data-endpoint="${PRIMARY}"][data-role="replica"][data-fenced="true"][data-tone="down"]`).waitFor({ timeout: 15_000 });
    await page.locator(`[data-group="us-east"] .badge[data-epoch="2"]`).waitFor({ timeout: 15_000 });
    const row = page.locator('#failovers tbody tr').first();
    await row.locator('.outcome-completed').waitFor({ timeout: 15_000 });
    expect(await row.textContent()).toContain(`${PRIMARY} → ${promoted}`);
    await page.locator('#alerts [data-alert="endpoint_down"]').waitFor({ timeout: 15_000 });
    await screenshot('dashboard-3-promoted.png');

    // The same story in /metrics: the epoch moved and the failover was counted.
    const families = parseExposition((await request(app.getHttpServer()).get('/metrics')).text);
    expect(value(families, 'db_group_epoch', { group: 'us-east' })).toBe(2);
    expect(value(families, 'db_failovers_total', { group: 'us-east', outcome: 'completed' })).toBe(1);
    expect(value(families, 'db_endpoint_up', { endpoint: promoted! })).toBe(1);
    expect(value(families, 'db_endpoint_primary', { endpoint: promoted! })).toBe(1);
    expect(pageErrors).toEqual([]);
  });
});
