// What the package's commands print, run as a newcomer runs them (through npm): a token that `$(...)` can
// capture whole, and the bench runner's list instead of an error.
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createTestApp } from './support/app';
import { closeApp, suitePrefix, useEnv } from './support/suite';
import request from 'supertest';

const npm = (...args: string[]) => spawnSync('npm', args, { encoding: 'utf8', env: process.env, timeout: 120_000 });

describe('command-line output', () => {
  const prefix = suitePrefix('cli-output');
  useEnv({ REDIS_PREFIX: prefix });

  it('npm run -s token prints the token alone on stdout, so TOKEN=$(npm run -s token -- --role admin) works', async () => {
    const run = npm('run', '-s', 'token', '--', '--role', 'admin', '--sub', 'cli-test');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    // The app (same JWT_SECRET) takes it for an admin.
    const app = await createTestApp();
    try {
      await request(app.getHttpServer()).post('/api/database/health-check').set('Authorization', `Bearer ${run.stdout.trim()}`).expect(200);
    } finally {
      await closeApp(app, prefix);
    }
  });

  it.each(['--list', '--help'])('npm run bench -- %s lists every bench with what it measures and about how long it takes, exit 0', (flag) => {
    const run = npm('run', '-s', 'bench', '--', flag);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^usage: npm run bench/);
    for (const file of readdirSync('bench').filter((f) => f.endsWith('.bench.ts'))) {
      expect(run.stdout).toMatch(new RegExp(`^  ${file.replace('.bench.ts', '')} +\\S.*; takes about \\d+ (s|min)$`, 'm'));
    }
  });
});
