import { createHash, timingSafeEqual } from 'node:crypto';

export type MetricsAccess = 'open' | 'granted' | 'missing' | 'wrong';

/** Whether a scrape's `Authorization` header may read `/metrics`; `token` null means no token is required. */
export function metricsAccess(authorization: string | undefined, token: string | null): MetricsAccess {
  if (token === null) return 'open';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match) return 'missing';
  // Equal-length digests: the comparison takes the same time whatever was sent.
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(match[1]), digest(token)) ? 'granted' : 'wrong';
}
