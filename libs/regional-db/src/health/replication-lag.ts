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
 * What one reading of a replica's replay position says, anchored in time so routing can judge it later: how
 * far behind the primary's last known position it was, and since when the primary has had what it lacks.
 */
export interface LagSample {
  /** When the replay position was read (this process's clock). */
  at: number;
  bytes: number;
  /** When the primary was first seen past the replay position; null when the replica had all it showed. */
  behindSince: number | null;
  /** Until then a caught-up reading counts as current; afterwards the replica may have fallen behind unseen. */
  freshUntil: number;
}

/**
 * The lag sample of a replica that had replayed up to `replayLsn` at time `at`, given the primary's positions
 * (ascending, each recorded when first seen). Null when the primary's position is not known.
 */
export function lagSample(primary: readonly LsnSample[], replayLsn: bigint, at: number, freshForMs: number): LagSample | null {
  const latest = primary[primary.length - 1];
  if (!latest) return null;
  const bytes = lagBytes(latest.lsn, replayLsn);
  const behindSince = bytes === 0 ? null : primary.find((s) => s.lsn > replayLsn)!.at;
  return { at, bytes, behindSince, freshUntil: at + freshForMs };
}

/**
 * The replica's lag at `now`, assuming it replayed nothing since the sample: the time since the primary was
 * first seen past it (a lower bound of the real lag, off by at most one reading of the primary). A caught-up
 * replica is 0 while its reading is fresh; after that, all that is known is that it was caught up at `at`,
 * so the reading's age is the bound (a replica nobody can read stops counting as fresh).
 */
export function lagAt(sample: LagSample, now: number): number {
  if (sample.behindSince !== null) return Math.max(0, now - sample.behindSince);
  return now > sample.freshUntil ? now - sample.at : 0;
}

/** The lag reported for a sample (dashboards, alerts, metrics): as it stood when it was taken. */
export function reportedLag(sample: LagSample | null): ReplicaLag | null {
  return sample && { bytes: sample.bytes, ms: lagAt(sample, sample.at) };
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
