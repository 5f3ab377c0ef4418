import { describe, expect, it } from '@jest/globals';
import { isConnectionError, isEndpointFault, isMissingSchema, isRecoveryConflict } from './connection-errors';

// Shapes captured from real failures: pg against a closed port / a terminated backend, Prisma 7 over
// @prisma/adapter-pg against the same.
const socketError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:57199`), { code, errno: -111, syscall: 'connect' });
const pgError = (code: string, message: string) => Object.assign(new Error(message), { name: 'error', code, severity: 'FATAL' });
const prismaError = (code: string, cause: Record<string, unknown>) =>
  Object.assign(new Error('Invalid `prisma.user.findFirst()` invocation'), {
    name: 'PrismaClientKnownRequestError',
    code,
    meta: { modelName: 'User', driverAdapterError: Object.assign(new Error('DriverAdapterError'), { name: 'DriverAdapterError', cause }) },
  });

describe('isConnectionError', () => {
  it.each([
    ['ECONNREFUSED', socketError('ECONNREFUSED')],
    ['ECONNRESET', socketError('ECONNRESET')],
    ['ETIMEDOUT', socketError('ETIMEDOUT')],
    ['EPIPE', socketError('EPIPE')],
    ['57P01 admin shutdown', pgError('57P01', 'terminating connection due to administrator command')],
    ['57P02 crash shutdown', pgError('57P02', 'terminating connection because of crash of another server process')],
    ['57P03 cannot connect now', pgError('57P03', 'the database system is starting up')],
    ['08006 connection failure', pgError('08006', 'connection failure')],
    ['pg socket closed', new Error('Connection terminated unexpectedly')],
    ['pg connect timeout', new Error('Connection terminated due to connection timeout')],
    ['pg-pool connect timeout', new Error('timeout exceeded when trying to connect')],
    ['pg query_timeout', new Error('Query read timeout')],
    ['Prisma P1001 over the adapter', prismaError('P1001', { kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 57199 })],
    ['Prisma raw query, unreachable', prismaError('P2010', { kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 57199 })],
    ['Prisma raw query, 57P01', prismaError('P2010', { kind: 'postgres', originalCode: '57P01', code: '57P01', severity: 'FATAL' })],
    ['Prisma P1017 connection closed', prismaError('P1017', { kind: 'ConnectionClosed' })],
    ['wrapped in cause', new Error('routing failed', { cause: socketError('ECONNRESET') })],
    ['AggregateError of a dual-stack connect', Object.assign(new AggregateError([socketError('ECONNREFUSED')]), { code: 'ECONNREFUSED' })],
  ])('recognises %s', (_, error) => {
    expect(isConnectionError(error)).toBe(true);
  });

  it.each([
    ['unique violation', pgError('23505', 'duplicate key value violates unique constraint')],
    ['syntax error', pgError('42601', 'syntax error at or near "SELEC"')],
    ['serialization failure', pgError('40001', 'could not serialize access')],
    ['too many connections (alive, only full)', pgError('53300', 'sorry, too many clients already')],
    ['statement timeout', pgError('57014', 'canceling statement due to statement timeout')],
    ['Prisma unique violation', prismaError('P2002', { kind: 'UniqueConstraintViolation' })],
    ['a plain bug', new TypeError('x is undefined')],
    ['a string', 'ECONNREFUSED'],
    ['null', null],
  ])('leaves %s alone', (_, error) => {
    expect(isConnectionError(error)).toBe(false);
  });

  it('survives a cause cycle', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    a.cause = a;
    expect(isConnectionError(a)).toBe(false);
  });
});

describe('isEndpointFault', () => {
  it.each([
    ['a connection error', socketError('ECONNREFUSED'), true],
    ['too many connections', pgError('53300', 'sorry, too many clients already'), true],
    ['statement timeout', pgError('57014', 'canceling statement due to statement timeout'), true],
    ['I/O error', pgError('58030', 'could not read block'), true],
    ['Prisma TooManyConnections', prismaError('P2037', { kind: 'TooManyConnections', originalCode: '53300' }), true],
    ['unique violation', pgError('23505', 'duplicate key'), false],
    ['PL/pgSQL raise (class P0, not a Prisma code)', pgError('P0001', 'custom'), false],
    ['Prisma validation', prismaError('P2002', { kind: 'UniqueConstraintViolation' }), false],
  ])('%s -> %s', (_, error, expected) => {
    expect(isEndpointFault(error)).toBe(expected);
  });
});

describe('isRecoveryConflict', () => {
  it.each([
    ['pg on a replica', pgError('40001', 'canceling statement due to conflict with recovery'), true],
    ['Prisma over the adapter', prismaError('P2010', { kind: 'postgres', originalCode: '40001', originalMessage: 'conflict with recovery' }), true],
    ['a connection error', socketError('ECONNREFUSED'), false],
    ['a unique violation', pgError('23505', 'duplicate key'), false],
  ])('%s -> %s', (_, error, expected) => {
    expect(isRecoveryConflict(error)).toBe(expected);
  });
});

describe('isMissingSchema', () => {
  it.each([
    ['a table the database lacks (not migrated)', prismaError('P2021', { kind: 'TableDoesNotExist', table: 'public.posts' }), true],
    ['a column the database lacks (a migration behind)', prismaError('P2022', { kind: 'ColumnNotFound', column: 'bio' }), true],
    ['a raw query on a missing table (the query is wrong, not the schema)', prismaError('P2010', { kind: 'postgres', originalCode: '42P01' }), false],
    ['a connection error', socketError('ECONNREFUSED'), false],
  ])('%s -> %s', (_, error, expected) => {
    expect(isMissingSchema(error)).toBe(expected);
  });
});
