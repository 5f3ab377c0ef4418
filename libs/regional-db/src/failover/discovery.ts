import type { ServerPosition } from './postgres-admin';

export interface ServerReport {
  id: string;
  /** null: the server did not answer. */
  position: ServerPosition | null;
}

export type DiscoveryDecision =
  | { kind: 'primary'; primaryId: string; fence: string[] }
  | { kind: 'split-brain'; writable: { id: string; timeline: number | null }[] }
  | { kind: 'none' };

/**
 * Which server is a group's primary, from what each server says about itself (never from a checkpoint's
 * timeline alone: a just-promoted server shows its old one until its first checkpoint). Exactly one writable,
 * unfenced server: that one. Several: the one the instances agreed on through Redis (`agreed`, the primary of
 * the newest stored epoch) if it is among them and no other is on a later timeline, the others fenced;
 * otherwise none: serving writes from either could fork history, so the group serves no writes until an
 * operator picks one.
 */
export function decidePrimary(reports: ServerReport[], agreed: string | null): DiscoveryDecision {
  const writable = reports.filter((r) => r.position && !r.position.inRecovery && !r.position.fenced);
  if (writable.length === 0) return { kind: 'none' };
  if (writable.length === 1) return { kind: 'primary', primaryId: writable[0].id, fence: [] };
  // The agreement counts only if no other writable server is on a later timeline: a promotion that never
  // reached Redis (its write lost) must not have the server it replaced chosen over it.
  const chosen = writable.find((r) => r.id === agreed);
  if (chosen && writable.every((r) => (r.position!.timeline ?? 0) <= (chosen.position!.timeline ?? 0))) {
    return { kind: 'primary', primaryId: chosen.id, fence: writable.filter((r) => r !== chosen).map((r) => r.id) };
  }
  return { kind: 'split-brain', writable: writable.map((r) => ({ id: r.id, timeline: r.position!.timeline })) };
}
