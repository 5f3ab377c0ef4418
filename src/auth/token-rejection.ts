/**
 * Why passport-jwt refused a request, in words a client can act on. `info` is what the strategy failed with:
 * a jsonwebtoken error, or `Error('No auth token')`. Never echoes the token or the expected values.
 */
export function tokenRejectionMessage(info: unknown): string {
  const { name, message } = (info ?? {}) as { name?: unknown; message?: unknown };
  if (name === 'TokenExpiredError') return 'Token expired';
  if (name === 'NotBeforeError') return 'Token not valid yet';
  if (message === 'No auth token') return 'Missing bearer token (Authorization: Bearer <jwt>)';
  if (name !== 'JsonWebTokenError' || typeof message !== 'string') return 'Invalid token';
  if (message === 'invalid signature') return 'Token signature is invalid';
  // An `alg: none` token has no signature; one signed with another algorithm is refused before its signature is checked.
  if (message === 'jwt signature is required' || message === 'invalid algorithm') return 'Token algorithm is not accepted';
  if (message.startsWith('jwt issuer invalid')) return 'Token issuer is not accepted';
  if (message.startsWith('jwt audience invalid')) return 'Token audience is not accepted';
  if (message === 'jwt malformed' || message === 'invalid token') return 'Malformed token';
  return 'Invalid token';
}
