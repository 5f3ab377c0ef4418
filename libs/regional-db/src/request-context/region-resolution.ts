import { BadRequestException } from '@nestjs/common';
import type { RequestContext } from './request-context';

export interface RegionResolution {
  region: string;
  source: RequestContext['regionSource'];
}

/** The `X-Region` header names a region the topology does not have: the client asked for the impossible. */
export class UnknownRegionHeaderError extends BadRequestException {
  constructor(value: string, known: readonly string[]) {
    super(`Unknown region ${JSON.stringify(value.slice(0, 64))} in X-Region header (known: ${known.join(', ')})`);
  }
}

/**
 * The caller's region: the `X-Region` header (an unknown one is a 400), else the `region` claim of the bearer
 * token when it names a known region, else the default. The token is only decoded here, not verified: it picks
 * a nearby server, it grants nothing (verification is the auth guard's job).
 */
export function resolveRegion(
  header: string | string[] | undefined,
  authorization: string | undefined,
  known: readonly string[],
  defaultRegion: string,
): RegionResolution {
  const requested = (Array.isArray(header) ? header.join(',') : header)?.trim().toLowerCase();
  if (requested) {
    if (!known.includes(requested)) throw new UnknownRegionHeaderError(requested, known);
    return { region: requested, source: 'header' };
  }
  const claim = bearerRegionClaim(authorization);
  if (claim !== null && known.includes(claim)) return { region: claim, source: 'token' };
  return { region: defaultRegion, source: 'default' };
}

/** The `region` claim of a `Bearer <jwt>` header's payload; null for anything else. */
export function bearerRegionClaim(authorization: string | undefined): string | null {
  const match = /^Bearer\s+([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)$/.exec(authorization?.trim() ?? '');
  if (!match || match[2].length > 8192) return null;
  try {
    const payload: unknown = JSON.parse(Buffer.from(match[2], 'base64url').toString('utf8'));
    const region = (payload as { region?: unknown } | null)?.region;
    return typeof region === 'string' ? region : null;
  } catch {
    return null;
  }
}
