import { createHash } from 'node:crypto';

/** What the global directory keeps of an email (seed 003): enough to keep it unique, nothing to read back. */
export function emailHash(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
}
