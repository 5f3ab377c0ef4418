// The first message a PostgreSQL client sends, read by the fault proxy to learn who the client is.
// Protocol: Int32 length (itself included), Int32 code, then for a StartupMessage NUL-terminated key/value pairs.

const PROTOCOL_3 = 196608;
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const MAX_STARTUP_LENGTH = 10_000; // PostgreSQL's own limit

export type StartupPacket =
  /** Not all bytes yet. */
  | { kind: 'incomplete' }
  /** SSLRequest or GSSENCRequest: the client waits for one byte, 'S'/'G' or 'N', before going on. */
  | { kind: 'encryption-request'; length: number }
  | { kind: 'startup'; length: number; parameters: Record<string, string> }
  | { kind: 'cancel'; length: number }
  | { kind: 'invalid'; reason: string };

export function readStartupPacket(buffer: Buffer): StartupPacket {
  if (buffer.length < 8) return { kind: 'incomplete' };
  const length = buffer.readInt32BE(0);
  if (length < 8 || length > MAX_STARTUP_LENGTH) return { kind: 'invalid', reason: `startup packet length ${length}` };
  if (buffer.length < length) return { kind: 'incomplete' };
  const code = buffer.readInt32BE(4);
  if (code === SSL_REQUEST || code === GSSENC_REQUEST) return { kind: 'encryption-request', length };
  if (code === CANCEL_REQUEST) return { kind: 'cancel', length };
  if (code !== PROTOCOL_3) return { kind: 'invalid', reason: `unsupported protocol code ${code}` };
  const fields = buffer.subarray(8, length - 1).toString('utf8').split('\0');
  const parameters: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) parameters[fields[i]] = fields[i + 1];
  return { kind: 'startup', length, parameters };
}

/**
 * The client's instance id from its application_name `<purpose>/<instanceId>` (the part after the last `/`);
 * a name without `/` is its own id, and no name at all is the empty id (only `*` rules match it).
 */
export function clientIdOf(applicationName: string | undefined): string {
  if (!applicationName) return '';
  return applicationName.slice(applicationName.lastIndexOf('/') + 1);
}
