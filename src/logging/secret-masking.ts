import { types } from 'node:util';
import { redactSecrets } from '@regional-db/nestjs';

const MASK = '***';
/** A credential is long: `Bearer <8+ characters>`, so prose like "basic auth" stays readable. */
const AUTH_SCHEME = /\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]{8,}=*/gi;
/** A JWT is three base64url parts, the header always starting `eyJ` (`{"`). */
const JWT = /\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g;
/** libpq keyword form (`host=db password='s3cret'`), as in a primary_conninfo. */
const CONNINFO_PASSWORD = /\bpassword\s*=\s*(?:'(?:[^'\\]|\\.)*'|[^\s']+)/gi;
const MAX_DEPTH = 8;
/**
 * What each pattern above (and `redactSecrets`'s `scheme://user:password@`) needs to match at all: a text
 * without any of these is returned as it is after one scan instead of four (most log text, paths, headers).
 */
const MAYBE_SECRET = /:\/\/|bearer|basic|eyJ|password/i;

/** A free text without the secrets that end up in messages: URL passwords, auth tokens, JWTs, conninfo passwords. */
export function maskSecrets(text: string): string {
  if (!MAYBE_SECRET.test(text)) return text;
  return redactSecrets(text)
    .replace(AUTH_SCHEME, `$1 ${MASK}`)
    .replace(JWT, MASK)
    .replace(CONNINFO_PASSWORD, `password=${MASK}`);
}

/** `isNativeError`, unlike `instanceof Error`, also knows errors made in another realm (jest's, Node's own). */
export const isError = (value: unknown): value is Error => types.isNativeError(value);

/**
 * `maskSecrets` over every string of a log argument. Plain objects and arrays are copied with their strings
 * masked, errors become `{ type, message, stack, ...their fields }` masked the same way; other class
 * instances (requests, responses) are left to their pino serializers.
 */
export function maskSecretsDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskSecrets(value);
  if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((item) => maskSecretsDeep(item, depth + 1));
  if (isError(value)) {
    const { name, message, stack, cause } = value;
    return maskSecretsDeep({ type: name, ...(value as object), message, stack, ...(cause === undefined ? {} : { cause }) }, depth);
  }
  // Plain objects only, from any realm (Node's own request headers are not jest's Object.prototype).
  const proto = Object.getPrototypeOf(value);
  if (proto !== null && Object.getPrototypeOf(proto) !== null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskSecretsDeep(item, depth + 1)]));
}
