import type { Environment } from '../config/environment';

/** `BODY_LIMIT` (default 100kb): the largest JSON or form body accepted, in body-parser's notation. */
export function bodyLimit(env: Environment): string {
  return env.BODY_LIMIT;
}
