import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { InvalidSettingError } from '@regional-db/nestjs';
import { SETTING_NAMES, validateEnvironment } from './environment';

// Unit tests run from the repository root (npm run test:unit).
const ROOT = process.cwd();

/** Every `NAME` (and `PREFIX_WARNING_MS` / `_CRITICAL_MS` shorthand) in the README's settings table. */
function readmeSettings(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('## Settings'), readme.indexOf('## Tests'));
  const names: string[] = [];
  // The CLI's row: a separate program (scripts/regional-db.ts) with variables of its own, not the service's.
  for (const line of table.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| area') && !l.startsWith('| CLI') && !l.startsWith('|---'))) {
    let last = '';
    for (const [, name] of line.matchAll(/`([A-Z_]+)`/g)) {
      // `ALERT_ERROR_RATE_WARNING` / `_CRITICAL`: the shorthand swaps the last word(s) of the previous name.
      if (name.startsWith('_')) names.push(last.replace(/_WARNING(_\w+)?$/, name));
      else names.push((last = name));
    }
  }
  return names;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return ['generated', 'dist', 'node_modules'].includes(name) ? [] : sources(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('the settings schema', () => {
  it('covers every variable of the README settings table, and the table every setting', () => {
    const documented = readmeSettings();
    expect(documented).toContain('PORT');
    expect(documented).toContain('ALERT_REPLICATION_LAG_CRITICAL_BYTES');
    expect([...SETTING_NAMES].sort()).toEqual([...new Set([...documented, 'NODE_ENV', 'TOPOLOGY_FILE'])].sort());
  });

  it('gives typed defaults for everything unset or blank', () => {
    const env = validateEnvironment({ PORT: ' ', PATH: '/bin' });
    expect(env).toMatchObject({ PORT: 3000, HOST: '127.0.0.1', FAILOVER_AUTOMATIC: true, ALERT_ERROR_RATE_WARNING: 0.05, JWT_TTL: '1h' });
    expect(env.FAILOVER_INSTANCE_LIVE_MS).toBeUndefined();
    expect(env).not.toHaveProperty('PATH');
  });

  it('converts numbers, booleans and case', () => {
    expect(validateEnvironment({ PORT: '8080', FAILOVER_AUTOMATIC: 'off', LOG_PRETTY: 'YES', LOG_LEVEL: 'DEBUG', BODY_LIMIT: '1MB' })).toMatchObject({
      PORT: 8080,
      FAILOVER_AUTOMATIC: false,
      LOG_PRETTY: true,
      LOG_LEVEL: 'debug',
      BODY_LIMIT: '1mb',
    });
  });

  it.each([
    [{ PORT: 'abc' }, 'Invalid setting PORT: must be a whole number from 0 to 65535, got "abc"'],
    [{ PORT: '70000', HEALTH_PROBE_TIMEOUT_MS: 'fast' }, 'Invalid setting PORT: must be a whole number from 0 to 65535, got "70000" (also invalid: HEALTH_PROBE_TIMEOUT_MS)'],
    [{ HOST: 'a host' }, 'Invalid setting HOST: must be a host name or IP address, got "a host"'],
    [{ FAILOVER_AUTOMATIC: 'maybe' }, 'Invalid setting FAILOVER_AUTOMATIC: must be true or false, got "maybe"'],
    [{ FAILOVER_INSTANCE_LIVE_MS: '1500' }, 'Invalid setting FAILOVER_INSTANCE_LIVE_MS: must be at least twice FAILOVER_HEARTBEAT_MS (2000), got "1500"'],
    [{ ALERT_RESPONSE_TIME_WARNING_MS: '6000' }, 'Invalid setting ALERT_RESPONSE_TIME_WARNING_MS: must not exceed ALERT_RESPONSE_TIME_CRITICAL_MS (6000 > 5000), got "6000"'],
    [{ JWT_TTL: '2y' }, 'Invalid setting JWT_TTL: must be a duration from 1s to 365d like 900, 15m, 1h or 7d, got "2y"'],
    [{ INSTANCE_ID: 'a b' }, 'Invalid setting INSTANCE_ID: must be 1-40 letters, digits, ".", "_" or "-", got "a b"'],
    [{ PASSWORD_HASH_COST: '20' }, 'Invalid setting PASSWORD_HASH_COST: must be a whole number from 4 to 17, got "20"'],
    [{ ALERT_WEBHOOK_FORMAT: 'slack' }, 'Invalid setting ALERT_WEBHOOK_FORMAT: must be event or alertmanager, got "slack"'],
  ])('refuses %j in one line naming the variable', (raw, message) => {
    expect(() => validateEnvironment(raw)).toThrow(InvalidSettingError);
    expect(() => validateEnvironment(raw)).toThrow(message);
  });

  it('never echoes a secret', () => {
    for (const raw of [{ JWT_SECRET: 'hunter2' }, { METRICS_TOKEN: 'hunter2' }, { REDIS_URL: 'http://:hunter2@x:1' }, { ALERT_WEBHOOK_URL: 'hooks/hunter2' }]) {
      expect(() => validateEnvironment(raw)).toThrow(expect.objectContaining({ message: expect.not.stringContaining('hunter2') }));
    }
  });
});

describe('the configuration layer', () => {
  it('is the only code that reads process.env (src/config; the rest gets settings through ConfigService, the library through its options)', () => {
    const scanned = [...sources(join(ROOT, 'src')), ...sources(join(ROOT, 'libs'))];
    expect(scanned.filter((path) => path.includes('/libs/regional-db/src/')).length).toBeGreaterThan(50);
    const readers = scanned.filter((path) => /process\.env\b/.test(readFileSync(path, 'utf8'))).map((path) => relative(ROOT, path));
    expect(readers.filter((path) => !path.startsWith('src/config/'))).toEqual([]);
  });
});
