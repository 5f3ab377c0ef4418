// deploy/prometheus and deploy/grafana against the service: the rules pass promtool (syntax and unit tests),
// and every metric a rule or a dashboard query reads is one the service really exports (scraped here).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { INestApplication } from '@nestjs/common';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import request from 'supertest';
import { parse } from 'yaml';
import { createTestApp } from './support/app';
import { parseExposition } from './support/prometheus-exposition';
import { metricNames } from './support/promql-metrics';
import { closeApp, suitePrefix } from './support/suite';

const run = promisify(execFile);
const RULES = 'deploy/prometheus/alerts.yml';
const RULE_TESTS = 'deploy/prometheus/alerts.test.yml';
const DASHBOARD = 'deploy/grafana/regional-db-router.json';

interface Dashboard {
  panels: { title: string; targets?: { expr: string }[] }[];
  templating: { list: { name: string; query?: string | { query: string } }[] };
}

describe('Prometheus rules and the Grafana dashboard', () => {
  const prefix = suitePrefix('observability');
  const previousPrefix = process.env.REDIS_PREFIX;
  let app: INestApplication;
  /** Every sample name /metrics declares (a histogram's _bucket, _sum and _count). */
  let exported: Set<string>;

  beforeAll(async () => {
    process.env.REDIS_PREFIX = prefix;
    app = await createTestApp();
    // A request first, so that the HTTP families have samples to show.
    await request(app.getHttpServer()).get('/health/live').expect(200);
    const families = parseExposition((await request(app.getHttpServer()).get('/metrics').expect(200)).text);
    // A histogram's series exist from its first observation on (a labelled one declares no sample before).
    exported = new Set([...families.values()].flatMap((f) => (f.type === 'histogram' ? ['_bucket', '_sum', '_count'].map((x) => f.name + x) : [f.name])));
  });
  afterAll(async () => {
    await closeApp(app, prefix);
    process.env.REDIS_PREFIX = previousPrefix;
  });

  it('the rules file passes promtool check rules and its unit tests (promtool test rules)', async () => {
    const checked = await run('promtool', ['check', 'rules', RULES]);
    expect(checked.stdout).toMatch(/SUCCESS: 7 rules found/);
    const tested = await run('promtool', ['test', 'rules', RULE_TESTS]);
    expect(tested.stdout).toMatch(/SUCCESS/);
  });

  it('alerts on a primary down, replication lag, a failed failover and coordination down, each reading exported metrics', () => {
    const rules = (parse(readFileSync(RULES, 'utf8')) as { groups: { rules: { alert: string; expr: string }[] }[] }).groups.flatMap((g) => g.rules);
    expect(rules.map((r) => r.alert)).toEqual(expect.arrayContaining(['DatabasePrimaryDown', 'DatabaseReplicationLagHigh', 'DatabaseFailoverFailed', 'DatabaseCoordinationDown']));
    for (const rule of rules) {
      const names = metricNames(rule.expr);
      expect([rule.alert, names.length > 0]).toEqual([rule.alert, true]);
      expect([rule.alert, names.filter((n) => !exported.has(n))]).toEqual([rule.alert, []]);
    }
  });

  it('every dashboard query and variable names a metric the service exports', () => {
    const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as Dashboard;
    const queries = [
      ...dashboard.panels.flatMap((p) => {
        expect([p.title, (p.targets ?? []).length > 0]).toEqual([p.title, true]);
        return (p.targets ?? []).map((t) => ({ where: p.title, expr: t.expr }));
      }),
      ...dashboard.templating.list.filter((v) => typeof v.query === 'object').map((v) => ({ where: `$${v.name}`, expr: (v.query as { query: string }).query })),
    ];
    const read = new Set<string>();
    for (const { where, expr } of queries) {
      const names = metricNames(expr);
      expect([where, names.length > 0]).toEqual([where, true]);
      expect([where, names.filter((n) => !exported.has(n))]).toEqual([where, []]);
      names.forEach((n) => read.add(n));
    }
    // The families an operator needs during a failover are on it.
    for (const name of ['db_endpoint_up', 'db_endpoint_primary', 'db_endpoint_fenced', 'db_failover_in_progress', 'db_failover_paused', 'db_coordination_available', 'db_replication_lag_seconds']) {
      expect(read).toContain(name);
    }
  });

  it('(the extractor used here finds metric names, not labels, functions or variables)', () => {
    expect(metricNames('histogram_quantile(0.95, sum by (endpoint, le) (rate(x_bucket{group=~"$group", a="b c"}[$__rate_interval])))')).toEqual(['x_bucket']);
    expect(metricNames('max by (group) (up_a == 1) unless on (group) max by (group) (b:c offset 5m) > 0.5')).toEqual(['up_a', 'b:c']);
    expect(metricNames('label_values(db_endpoint_up, group)')).toEqual(['db_endpoint_up']);
  });
});
