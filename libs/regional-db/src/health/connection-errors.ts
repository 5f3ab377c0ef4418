/**
 * Which query errors say "this server cannot be reached or dropped the connection" (re-probe it now) and
 * which say "the server answered: the query was wrong" (nothing to do with the endpoint's health).
 */

/** Socket errors, PostgreSQL admin shutdown / crash / cannot-connect-now, and Prisma's connection codes. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  '57P01', '57P02', '57P03',
  'P1001', 'P1002', 'P1008', 'P1017',
]);
/** `@prisma/adapter-pg`'s names for the socket errors it maps (DriverAdapterError.cause.kind). */
const CONNECTION_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout']);
/** SQLSTATE class 08: connection exception. */
const CONNECTION_CLASS = /^08[0-9A-Z]{3}$/;
/** What `pg` says when a socket closes, a connect or query times out, or a broken client is reused. */
const CONNECTION_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /query read timeout/i,
  /connection error and is not queryable/i,
  /server closed the connection unexpectedly/i,
  /can't reach database server/i,
];
/** SQLSTATE classes that are the server's trouble, not the query's: resources, operator, system, internal. */
const SERVER_FAULT_CLASSES = new Set(['53', '57', '58', 'XX']);
const SQLSTATE = /^[0-9A-Z]{5}$/;

type ErrorLike = {
  code?: unknown;
  originalCode?: unknown;
  kind?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
  meta?: { driverAdapterError?: unknown };
};

/** The error and everything it wraps: `cause`, Prisma's `meta.driverAdapterError`, AggregateError's list. */
function* unwrap(error: unknown, depth = 0): Generator<ErrorLike> {
  if (depth > 8 || error === null || typeof error !== 'object') return;
  const e = error as ErrorLike;
  yield e;
  yield* unwrap(e.cause, depth + 1);
  yield* unwrap(e.meta?.driverAdapterError, depth + 1);
  if (Array.isArray(e.errors)) for (const inner of e.errors) yield* unwrap(inner, depth + 1);
}

function codesOf(e: ErrorLike): string[] {
  return [e.code, e.originalCode].filter((c): c is string => typeof c === 'string');
}

/** True for an error meaning the connection to the server failed or broke (not a wrong query). */
export function isConnectionError(error: unknown): boolean {
  for (const e of unwrap(error)) {
    if (codesOf(e).some((code) => CONNECTION_CODES.has(code) || CONNECTION_CLASS.test(code))) return true;
    if (typeof e.kind === 'string' && CONNECTION_KINDS.has(e.kind)) return true;
    if (typeof e.message === 'string' && CONNECTION_MESSAGES.some((m) => m.test(e.message as string))) return true;
  }
  return false;
}

/**
 * True when the failure counts against the endpoint in its error rate: a connection error, or a SQLSTATE
 * of the server's own trouble (too many connections, statement timeout, I/O error, internal error).
 */
export function isEndpointFault(error: unknown): boolean {
  if (isConnectionError(error)) return true;
  for (const e of unwrap(error)) {
    if (codesOf(e).some((code) => SQLSTATE.test(code) && SERVER_FAULT_CLASSES.has(code.slice(0, 2)))) return true;
  }
  return false;
}

/**
 * A replica cancelled the query because replay needed what it held (SQLSTATE 40001, "conflict with recovery"):
 * the replica is fine and the query was fine; another endpoint can answer it.
 */
export function isRecoveryConflict(error: unknown): boolean {
  for (const e of unwrap(error)) {
    if (codesOf(e).includes('40001') || (typeof e.message === 'string' && /conflict with recovery/i.test(e.message))) return true;
  }
  return false;
}

/** Prisma's "table does not exist" / "column does not exist": the database is behind the client's schema. */
export function isMissingSchema(error: unknown): boolean {
  for (const e of unwrap(error)) {
    if (e.code === 'P2021' || e.code === 'P2022') return true;
  }
  return false;
}
