import { describe, expect, it } from '@jest/globals';
import { tokenRejectionMessage } from './token-rejection';

const jwtError = (message: string, name = 'JsonWebTokenError') => Object.assign(new Error(message), { name });

describe('tokenRejectionMessage', () => {
  it.each([
    [new Error('No auth token'), 'Missing bearer token (Authorization: Bearer <jwt>)'],
    [jwtError('jwt expired', 'TokenExpiredError'), 'Token expired'],
    [jwtError('jwt not active', 'NotBeforeError'), 'Token not valid yet'],
    [jwtError('invalid signature'), 'Token signature is invalid'],
    [jwtError('jwt signature is required'), 'Token algorithm is not accepted'],
    [jwtError('invalid algorithm'), 'Token algorithm is not accepted'],
    [jwtError('jwt issuer invalid. expected: regional-db-router'), 'Token issuer is not accepted'],
    [jwtError('jwt audience invalid. expected: regional-db-router'), 'Token audience is not accepted'],
    [jwtError('jwt malformed'), 'Malformed token'],
    [jwtError('invalid token'), 'Malformed token'],
    [jwtError('invalid exp value'), 'Invalid token'],
    [undefined, 'Invalid token'],
  ])('%s -> %s', (info, message) => expect(tokenRejectionMessage(info)).toBe(message));
});
