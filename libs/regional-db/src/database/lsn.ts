/**
 * PostgreSQL WAL positions (`pg_lsn`, printed as `X/Y`: two hex 32-bit halves) as BigInt, so positions
 * compare exactly. A replica has replayed a write when its replay position is at or past the write's.
 */
const LSN = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/;

/** `16/B374D848` -> 0x16B374D848n; null for anything that is not an LSN. */
export function parseLsn(text: string | null | undefined): bigint | null {
  if (!text) return null;
  const match = LSN.exec(text);
  if (!match) return null;
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

/** The inverse of `parseLsn`, in PostgreSQL's own spelling (upper-case hex, no padding). */
export function formatLsn(lsn: bigint): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}

/** True when `position` is at or past `target` (a replica at `position` has replayed `target`). */
export function hasReached(position: bigint | null, target: bigint): boolean {
  return position !== null && position >= target;
}

/** The later of two positions (either may be absent). */
export function laterLsn(a: bigint | null, b: bigint | null): bigint | null {
  if (a === null) return b;
  if (b === null) return a;
  return a > b ? a : b;
}
