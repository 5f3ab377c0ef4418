/**
 * Replication lag of a replica, measured honestly: bytes against the group primary's current WAL position,
 * time from when the primary was first seen past the replica's replay position (never from replay
 * timestamps alone, which go stale while the primary is idle).
 */

/** One observation of the primary's WAL position, on this process's clock. */
export interface LsnSample {
  at: number;
  lsn: bigint;
}

export interface ReplicaLag {
  bytes: number;
  ms: number;
}

/** `pg_wal_lsn_diff(primary, replay)`, clamped at 0: a replica is never ahead of its primary. */
export function lagBytes(primaryLsn: bigint, replayLsn: bigint): number {
  return primaryLsn > replayLsn ? Number(primaryLsn - replayLsn) : 0;
}

/**
 * Lag of a replica that had replayed up to `replayLsn` at time `at`, given the primary's positions (ascending,
 * each recorded when first seen). 0 ms when it has everything the primary last showed; otherwise the time
 * since the primary was first seen past the replica's position: a lower bound of the real lag, off by at
 * most one probe interval. Null when the primary's position is not known.
 */
export function replicaLag(primary: readonly LsnSample[], replayLsn: bigint, at: number): ReplicaLag | null {
  const latest = primary[primary.length - 1];
  if (!latest) return null;
  const bytes = lagBytes(latest.lsn, replayLsn);
  if (bytes === 0) return { bytes: 0, ms: 0 };
  const firstAhead = primary.find((s) => s.lsn > replayLsn)!;
  return { bytes, ms: Math.max(0, at - firstAhead.at) };
}

/**
 * The positions one primary was seen at, one entry per distinct position (an idle primary adds nothing),
 * bounded: beyond `capacity` changes the oldest are dropped and lag saturates at the span kept.
 */
export class PrimaryLsnHistory {
  private samples: LsnSample[] = [];
  private owner: string | null = null;

  constructor(private readonly capacity = 512) {}

  get primaryId(): string | null {
    return this.owner;
  }

  /** Starts over when the primary changes or its position goes backwards (another WAL history). */
  record(primaryId: string, at: number, lsn: bigint): void {
    const latest = this.samples[this.samples.length - 1];
    if (primaryId !== this.owner || (latest && lsn < latest.lsn)) {
      this.owner = primaryId;
      this.samples = [];
    } else if (latest && lsn === latest.lsn) {
      return;
    }
    this.samples.push({ at, lsn });
    if (this.samples.length > this.capacity) this.samples.shift();
  }

  latest(): LsnSample | null {
    return this.samples[this.samples.length - 1] ?? null;
  }

  all(): readonly LsnSample[] {
    return this.samples;
  }
}
