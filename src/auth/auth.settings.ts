import { createPrivateKey, createPublicKey, KeyObject, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InvalidSettingError } from '@regional-db/nestjs';
import { durationSeconds, type Environment } from '../config/environment';

export type JwtKeys = { algorithm: 'HS256'; secret: string } | { algorithm: 'RS256'; publicKey: string; privateKey?: string };

/** Where the key came from: `generated` means a random secret that dies with the process. */
export type KeySource = 'JWT_SECRET' | 'JWT_PUBLIC_KEY' | 'JWT_PRIVATE_KEY' | 'secret file' | 'generated';

export interface AuthSettings {
  keys: JwtKeys;
  keySource: KeySource;
  issuer: string;
  audience: string;
  /** Lifetime of a token signed without an explicit one. */
  ttlSeconds: number;
}

export const AUTH_SETTINGS = Symbol('AUTH_SETTINGS');
export const DEFAULT_SECRET_FILE = '.local/jwt-secret';
export const MIN_SECRET_LENGTH = 32;
const MAX_TTL_SECONDS = 365 * 86_400;

/**
 * The JWT settings (checked by the settings schema). `fileSecret` is the content of the secret file when one
 * exists; with no key at all, development gets a random secret (`generate`) and production refuses to start.
 */
export function parseAuthSettings(env: Environment, fileSecret?: string, generate = randomSecret): AuthSettings {
  const common = { issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE, ttlSeconds: durationSeconds(env.JWT_TTL) };
  const { JWT_SECRET: secret, JWT_PUBLIC_KEY: publicPem, JWT_PRIVATE_KEY: privatePem } = env;
  if (publicPem || privatePem) return { ...common, keys: rsaKeys(publicPem, privatePem), keySource: publicPem ? 'JWT_PUBLIC_KEY' : 'JWT_PRIVATE_KEY' };
  if (secret) return { ...common, keys: { algorithm: 'HS256', secret }, keySource: 'JWT_SECRET' };
  if (fileSecret !== undefined) {
    return { ...common, keys: { algorithm: 'HS256', secret: checkedSecret(fileSecret.trim(), 'JWT_SECRET_FILE') }, keySource: 'secret file' };
  }
  if (env.NODE_ENV === 'production') {
    throw new InvalidSettingError('JWT_SECRET', 'required in production (or JWT_PUBLIC_KEY for RS256, or JWT_SECRET_FILE)');
  }
  return { ...common, keys: { algorithm: 'HS256', secret: generate() }, keySource: 'generated' };
}

/** The settings as the app and the token CLI see them: the secret file is read only when no key is in the environment. */
export function loadAuthSettings(env: Environment): AuthSettings {
  if (env.JWT_SECRET || env.JWT_PUBLIC_KEY || env.JWT_PRIVATE_KEY) return parseAuthSettings(env);
  const path = secretFilePath(env);
  if (!existsSync(path)) {
    if (env.JWT_SECRET_FILE) throw new InvalidSettingError('JWT_SECRET_FILE', `no such file: ${path}`);
    return parseAuthSettings(env);
  }
  return parseAuthSettings(env, readFileSync(path, 'utf8'));
}

/** `JWT_SECRET_FILE`, by default `.local/jwt-secret` under the working directory (where `npm start` runs). */
export function secretFilePath(env: Pick<Environment, 'JWT_SECRET_FILE'>): string {
  return resolve(env.JWT_SECRET_FILE ?? DEFAULT_SECRET_FILE);
}

/** The secret file's content, creating it (owner-only, mode 0600) with a random secret when absent. */
export function ensureSecretFile(path: string): string {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    try {
      writeFileSync(path, `${randomSecret()}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process created it first: its secret wins.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return readFileSync(path, 'utf8').trim();
}

/** `900`, `15m`, `1h`, `7d` -> seconds (a token's own lifetime, e.g. the token CLI's `--ttl`). */
export function parseTtl(raw: string, variable: string): number {
  const seconds = durationSeconds(raw);
  if (!(seconds >= 1 && seconds <= MAX_TTL_SECONDS)) {
    throw new InvalidSettingError(variable, `must be a duration from 1s to 365d like 900, 15m, 1h or 7d, got ${JSON.stringify(raw)}`);
  }
  return seconds;
}

function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

function checkedSecret(secret: string, variable: string): string {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new InvalidSettingError(variable, `an HS256 secret must be at least ${MIN_SECRET_LENGTH} characters (got ${secret.length})`);
  }
  return secret;
}

function rsaKeys(publicPem: string | undefined, privatePem: string | undefined): JwtKeys {
  const privateKey = privatePem === undefined ? undefined : rsaKey(privatePem, createPrivateKey);
  const publicKey = publicPem === undefined ? undefined : rsaKey(publicPem, createPublicKey);
  const derived = privateKey && spki(createPublicKey(privateKey));
  if (publicKey && derived && spki(publicKey) !== derived) {
    throw new InvalidSettingError('JWT_PRIVATE_KEY', 'does not belong to JWT_PUBLIC_KEY');
  }
  return {
    algorithm: 'RS256',
    publicKey: publicKey ? spki(publicKey) : derived!,
    privateKey: privateKey?.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** A PEM the settings schema accepted as an RSA key (its line breaks perhaps written as \n). */
function rsaKey(pem: string, create: (pem: string) => KeyObject): KeyObject {
  return create(pem.replace(/\\n/g, '\n'));
}

function spki(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'pem' }).toString();
}
