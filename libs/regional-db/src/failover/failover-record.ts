import type { QuorumTally } from './quorum';

export type FailoverTrigger = 'automatic' | 'manual';
export type FailoverOutcome = 'completed' | 'failed' | 'skipped';

/** One failover as history keeps it: who or what, from and to, how long each step took, what it cost. */
export interface FailoverRecord {
  id: string;
  group: string;
  trigger: FailoverTrigger;
  /** Token subject of the operator, or `system`. */
  actor: string;
  planned: boolean;
  from: string | null;
  to: string | null;
  epoch: number | null;
  outcome: FailoverOutcome;
  reason: string;
  startedAt: string;
  finishedAt: string;
  durations: {
    /** First failed check of the primary to confirmed down (automatic only). */
    detectionMs: number | null;
    selectionMs: number | null;
    promotionMs: number | null;
    rerouteMs: number | null;
    verifyMs: number | null;
    repointMs: number | null;
    totalMs: number;
  };
  lagAtPromotionBytes: number | null;
  repointed: string[];
  fenced: { id: string; wasWritable: boolean } | null;
  /** Automatic only: the instances that saw the primary down, out of those alive, when it was decided. */
  quorum: QuorumTally | null;
}
