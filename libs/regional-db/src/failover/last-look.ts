import { InconclusiveWaitError } from '../health/judged-wait';
import type { ServerPosition } from './postgres-admin';

/**
 * What the failover's last look at a primary seen down says, just before promoting: it `answers` again as a
 * writable primary (nothing to fail over), it is `down` (promote), or the look was `inconclusive` (our own event
 * loop fired the re-check's timer too late to judge: nothing is promoted on it, the primary is checked again).
 */
export type LastLook = 'answers' | 'down' | 'inconclusive';

export function lastLook(result: { position: ServerPosition } | { error: unknown }): LastLook {
  if ('position' in result) return !result.position.inRecovery && !result.position.fenced ? 'answers' : 'down';
  return result.error instanceof InconclusiveWaitError ? 'inconclusive' : 'down';
}
