import { describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateEnvironment as env } from '../config/environment';
import { ensureSecretFile, loadAuthSettings, parseAuthSettings, parseTtl } from './auth.settings';

const SECRET = 'x'.repeat(32);
const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });

describe('parseAuthSettings', () => {
  it('uses JWT_SECRET with HS256 and the default issuer, audience and one-hour lifetime', () => {
    expect(parseAuthSettings(env({ JWT_SECRET: SECRET }))).toEqual({
      keys: { algorithm: 'HS256', secret: SECRET },
      keySource: 'JWT_SECRET',
      issuer: 'regional-db-router',
      audience: 'regional-db-router',
      ttlSeconds: 3600,
    });
  });

  it('reads issuer, audience and lifetime', () => {
    expect(parseAuthSettings(env({ JWT_SECRET: SECRET, JWT_ISSUER: 'iss', JWT_AUDIENCE: 'aud', JWT_TTL: '15m' }))).toMatchObject({ issuer: 'iss', audience: 'aud', ttlSeconds: 900 });
  });

  it('refuses a short secret (the settings schema), naming the variable but not the secret', () => {
    expect(() => parseAuthSettings(env({ JWT_SECRET: 'hunter2' }))).toThrow(/^Invalid setting JWT_SECRET: an HS256 secret must be at least 32 characters$/);
  });

  it('refuses both an HS256 secret and RS256 keys', () => {
    expect(() => parseAuthSettings(env({ JWT_SECRET: SECRET, JWT_PUBLIC_KEY: rsa().publicKey }))).toThrow('not both');
  });

  it('verifies RS256 with the public key and signs with the private one, PEM line breaks written as \\n accepted', () => {
    const { publicKey, privateKey } = rsa();
    const settings = parseAuthSettings(env({ JWT_PUBLIC_KEY: publicKey.replace(/\n/g, '\\n'), JWT_PRIVATE_KEY: privateKey }));
    expect(settings.keySource).toBe('JWT_PUBLIC_KEY');
    expect(settings.keys).toEqual({ algorithm: 'RS256', publicKey, privateKey });
  });

  it('derives the public key from a lone private key', () => {
    const { publicKey, privateKey } = rsa();
    expect(parseAuthSettings(env({ JWT_PRIVATE_KEY: privateKey })).keys).toEqual({ algorithm: 'RS256', publicKey, privateKey });
  });

  it('verifies only when the private key is absent', () => {
    const { publicKey } = rsa();
    expect(parseAuthSettings(env({ JWT_PUBLIC_KEY: publicKey })).keys).toEqual({ algorithm: 'RS256', publicKey, privateKey: undefined });
  });

  it('refuses a private key of another pair, a non-PEM key and a non-RSA key', () => {
    expect(() => parseAuthSettings(env({ JWT_PUBLIC_KEY: rsa().publicKey, JWT_PRIVATE_KEY: rsa().privateKey }))).toThrow('JWT_PRIVATE_KEY: does not belong to JWT_PUBLIC_KEY');
    expect(() => parseAuthSettings(env({ JWT_PUBLIC_KEY: 'not a key' }))).toThrow('JWT_PUBLIC_KEY: is not a PEM key');
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256', publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    expect(() => parseAuthSettings(env({ JWT_PUBLIC_KEY: ec.publicKey }))).toThrow('must be an RSA key for RS256, got ec');
  });

  it('falls back to the secret file, then in development to a generated secret, and refuses to start without a key in production', () => {
    expect(parseAuthSettings(env({}), `${SECRET}\n`)).toMatchObject({ keys: { algorithm: 'HS256', secret: SECRET }, keySource: 'secret file' });
    expect(parseAuthSettings(env({}), undefined, () => 'g'.repeat(43))).toMatchObject({ keys: { algorithm: 'HS256', secret: 'g'.repeat(43) }, keySource: 'generated' });
    expect(() => parseAuthSettings(env({ NODE_ENV: 'production' }))).toThrow('Invalid setting JWT_SECRET: required in production');
  });

  it('prefers the environment to the secret file', () => {
    expect(parseAuthSettings(env({ JWT_SECRET: SECRET }), 'y'.repeat(40)).keySource).toBe('JWT_SECRET');
  });
});

describe('parseTtl', () => {
  it.each([
    ['900', 900],
    ['15m', 900],
    ['1h', 3600],
    ['7d', 604_800],
    ['365d', 31_536_000],
  ])('%s is %i seconds', (raw, seconds) => expect(parseTtl(raw, 'JWT_TTL')).toBe(seconds));

  it.each(['0', '-1', '1w', '1.5h', 'abc', '', '366d'])('refuses %j', (raw) => expect(() => parseTtl(raw, 'JWT_TTL')).toThrow('Invalid setting JWT_TTL'));
});

describe('secret file', () => {
  it('is created owner-only with a random secret, then reused, and read by the app when JWT_SECRET is unset', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'jwt-')), 'nested', 'jwt-secret');
    const secret = ensureSecretFile(path);
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(ensureSecretFile(path)).toBe(secret);
    expect(loadAuthSettings(env({ JWT_SECRET_FILE: path })).keys).toEqual({ algorithm: 'HS256', secret });
  });

  it('is an error when named explicitly and missing', () => {
    expect(() => loadAuthSettings(env({ JWT_SECRET_FILE: '/nonexistent/jwt-secret' }))).toThrow('Invalid setting JWT_SECRET_FILE: no such file');
  });

  it('is not read when a key is in the environment', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'jwt-')), 'jwt-secret');
    writeFileSync(path, 'too short');
    expect(loadAuthSettings(env({ JWT_SECRET_FILE: path, JWT_SECRET: SECRET })).keySource).toBe('JWT_SECRET');
    expect(readFileSync(path, 'utf8')).toBe('too short');
  });
});
