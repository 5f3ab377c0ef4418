/** The scope of a pause that covers every replication group. */
export const ALL_GROUPS = '*';

/** Automatic failover paused, for one group or all (`scope` `*`), by an operator, until resumed. */
export interface FailoverPause {
  scope: string;
  by: string;
  at: string;
  reason: string | null;
}

/** What holds `group`'s automatic failover: its own pause, else a pause of every group; null when none. */
export function pauseOf(pauses: readonly FailoverPause[], group: string): FailoverPause | null {
  return pauses.find((p) => p.scope === group) ?? pauses.find((p) => p.scope === ALL_GROUPS) ?? null;
}

/**
 * Which stored pauses a resume of `scope` removes: every pause for `*`, the group's own otherwise. A group
 * held by a pause of all groups cannot be resumed alone (`blockedBy`): that would be a second, hidden rule.
 */
export function resumePlan(pauses: readonly FailoverPause[], scope: string): { remove: string[]; blockedBy: FailoverPause | null } {
  if (scope === ALL_GROUPS) return { remove: pauses.map((p) => p.scope), blockedBy: null };
  const all = pauses.find((p) => p.scope === ALL_GROUPS) ?? null;
  return { remove: all ? [] : pauses.filter((p) => p.scope === scope).map((p) => p.scope), blockedBy: all };
}
