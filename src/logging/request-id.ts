import { randomUUID } from 'node:crypto';
import { maskSecrets } from './secret-masking';

export const REQUEST_ID_HEADER = 'X-Request-Id';
/** What proxies send (nginx's 32 hex digits, UUIDs, ...): short, printable, no separators a log parser minds. */
const VALID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** The caller's request id when it is a sane one (and no token in disguise), else a fresh UUID. */
export function requestIdFor(header: string | string[] | undefined): string {
  const candidate = Array.isArray(header) ? header[0] : header;
  return candidate && VALID.test(candidate) && maskSecrets(candidate) === candidate ? candidate : randomUUID();
}
