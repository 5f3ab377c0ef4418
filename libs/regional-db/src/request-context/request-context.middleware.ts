import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { InjectTopology } from '../config/topology.module';
import { allGroups } from '../config/topology.types';
import type { Topology } from '../config/topology.types';
import {
  CONSISTENCY_TOKEN_COOKIE,
  CONSISTENCY_TOKEN_HEADER,
  decodeConsistencyToken,
  mergeConsistencyPositions,
} from '../router/consistency-token';
import { resolveRegion } from './region-resolution';
import { requestContext } from './request-context';

/**
 * Runs every HTTP request inside its own request context: the caller's region (X-Region, JWT claim, default)
 * and the read-your-writes positions the client sent back (header and cookie, merged; malformed ones ignored).
 */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  private readonly regions: string[];
  private readonly groups: ReadonlySet<string>;

  constructor(@InjectTopology() private readonly topology: Topology) {
    this.regions = topology.groups.map((g) => g.name);
    this.groups = new Set(allGroups(topology).map((g) => g.name));
  }

  use(req: Request, _res: Response, next: NextFunction): void {
    const { region, source } = resolveRegion(req.headers['x-region'], req.headers.authorization, this.regions, this.topology.defaultRegion);
    const header = req.headers[CONSISTENCY_TOKEN_HEADER];
    const readAfter = mergeConsistencyPositions(
      decodeConsistencyToken(typeof header === 'string' ? header : undefined, this.groups),
      decodeConsistencyToken(cookieValue(req.headers.cookie, CONSISTENCY_TOKEN_COOKIE), this.groups),
    );
    requestContext.run({ region, regionSource: source, readAfter, wroteTo: new Set() }, next);
  }
}

/** One cookie's URL-decoded value from a `Cookie` header (no cookie-parser needed for one name). */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(pair.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}
