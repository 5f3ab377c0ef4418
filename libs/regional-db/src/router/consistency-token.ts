import { formatLsn, laterLsn, parseLsn } from '../database/lsn';

/**
 * The read-your-writes token a client carries between requests: per replication group, the primary's WAL
 * position after the client's last write there, as `group@LSN` joined by `;`
 * (e.g. `us-east@0/3000060;global@0/2A0`). Sent back in the `X-Consistency-Token` header and a cookie
 * (URL-encoded there). A token that is not exactly this shape, names an unknown group or repeats one is
 * ignored whole: a client cannot use it to route reads anywhere but to fresher servers.
 */
export const CONSISTENCY_TOKEN_HEADER = 'x-consistency-token';
export const CONSISTENCY_TOKEN_COOKIE = 'rdr_consistency';
/** Far above any real token (one entry per group); bounds the work spent on a hostile header. */
export const MAX_CONSISTENCY_TOKEN_LENGTH = 1024;

export type ConsistencyPositions = Map<string, string>;

export function encodeConsistencyToken(positions: ConsistencyPositions): string {
  return [...positions].map(([group, lsn]) => `${group}@${lsn}`).join(';');
}

/** The positions in `text`, or an empty map when it is malformed in any way. */
export function decodeConsistencyToken(text: string | undefined, knownGroups: ReadonlySet<string>): ConsistencyPositions {
  const positions: ConsistencyPositions = new Map();
  if (!text || text.length > MAX_CONSISTENCY_TOKEN_LENGTH) return positions;
  for (const part of text.split(';')) {
    const at = part.indexOf('@');
    const group = part.slice(0, at);
    const lsn = at > 0 ? parseLsn(part.slice(at + 1)) : null;
    if (lsn === null || !knownGroups.has(group) || positions.has(group)) return new Map();
    positions.set(group, formatLsn(lsn));
  }
  return positions;
}

/** Per group, the later of the two positions: a token only ever moves forward. */
export function mergeConsistencyPositions(a: ConsistencyPositions, b: ConsistencyPositions): ConsistencyPositions {
  const merged: ConsistencyPositions = new Map(a);
  for (const [group, lsn] of b) {
    merged.set(group, formatLsn(laterLsn(parseLsn(merged.get(group)), parseLsn(lsn))!));
  }
  return merged;
}
