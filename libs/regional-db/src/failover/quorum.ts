/** What the instances sharing Redis say about one group's primary, and whether that is enough to act. */
export interface QuorumTally {
  /** Instances with a recent heartbeat (this one always counts). */
  live: string[];
  /** Live instances that see the primary down within the vote window. */
  votes: string[];
  /** Votes a decision needs: a strict majority of the live instances. */
  needed: number;
  reached: boolean;
}

/**
 * Redis Sentinel's ODOWN rule: a primary is down for everyone only when a majority of the live instances see
 * it down, so one instance cut from a primary that the others still reach (a one-sided partition) cannot
 * promote a replica under their writes. A lone instance decides alone.
 */
export function tallyVotes(self: string, live: string[], votes: string[]): QuorumTally {
  const liveSet = new Set([...live, self]);
  const counted = [...new Set(votes)].filter((id) => liveSet.has(id)).sort();
  const needed = Math.floor(liveSet.size / 2) + 1;
  return { live: [...liveSet].sort(), votes: counted, needed, reached: counted.length >= needed };
}
