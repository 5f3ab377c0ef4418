import { describe, expect, it } from '@jest/globals';
import { NoEndpointError } from '@regional-db/nestjs';
import { LocalizedOutageError, regionalWriteError, violatedConstraint } from './localized-outage';

describe('regionalWriteError', () => {
  const unavailable = [new NoEndpointError('asia-pacific', 'write'), Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })];

  it('turns a missing or unreachable primary into a localized outage naming the region, reads continuing while a replica serves', () => {
    for (const error of unavailable) {
      const mapped = regionalWriteError('asia-pacific', error, () => true, 'available');
      expect(mapped).toBeInstanceOf(LocalizedOutageError);
      expect((mapped as Error).message).toBe('Localized outage: region asia-pacific has no writable primary; reads continue from replicas');
    }
  });

  it('says that failover is withheld while coordination is unavailable', () => {
    expect((regionalWriteError('us-east', new NoEndpointError('us-east', 'write'), () => true, 'unavailable') as Error).message).toBe(
      'Localized outage: region us-east has no writable primary; failover is withheld until coordination (Redis) is reachable again; reads continue from replicas',
    );
  });

  it('does not promise reads when no replica serves them', () => {
    for (const error of unavailable) {
      expect((regionalWriteError('asia-pacific', error, () => false, 'available') as Error).message).toBe(
        'Localized outage: region asia-pacific has no writable primary and no replica serving reads',
      );
    }
  });

  it('leaves other errors alone, without asking about replicas', () => {
    const error = Object.assign(new Error('unique'), { code: 'P2002' });
    expect(regionalWriteError('eu-west', error, () => { throw new Error('not asked'); }, 'available')).toBe(error);
  });
});

describe('violatedConstraint', () => {
  it("reads the constraint from Prisma's driver adapter error (as Prisma 7.5 reports a duplicate key)", () => {
    const cause = {
      originalCode: '23505',
      originalMessage: 'duplicate key value violates unique constraint "directory_pkey"',
      kind: 'UniqueConstraintViolation',
      constraint: { fields: ['handle'] },
    };
    expect(violatedConstraint({ code: 'P2002', meta: { driverAdapterError: { cause } } })).toBe('directory_pkey');
    expect(violatedConstraint({ code: 'P2002', meta: { driverAdapterError: { cause: { ...cause, originalCode: '23503' } } } })).toBeNull();
    expect(violatedConstraint(new Error('x'))).toBeNull();
    expect(violatedConstraint(null)).toBeNull();
  });
});
