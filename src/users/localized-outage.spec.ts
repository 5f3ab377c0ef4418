import { describe, expect, it } from '@jest/globals';
import { NoEndpointError } from '../router/no-endpoint.error';
import { LocalizedOutageError, regionalWriteError, violatedConstraint } from './localized-outage';

describe('regionalWriteError', () => {
  it('turns a missing or unreachable primary into a localized outage naming the region', () => {
    for (const error of [new NoEndpointError('asia-pacific', 'write'), Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })]) {
      const mapped = regionalWriteError('asia-pacific', error, 'available');
      expect(mapped).toBeInstanceOf(LocalizedOutageError);
      expect((mapped as Error).message).toBe('Localized outage: region asia-pacific has no writable primary; reads continue from replicas');
    }
  });

  it('says that failover is withheld while coordination is unavailable', () => {
    expect((regionalWriteError('us-east', new NoEndpointError('us-east', 'write'), 'unavailable') as Error).message).toBe(
      'Localized outage: region us-east has no writable primary; failover is withheld until coordination (Redis) is reachable again; reads continue from replicas',
    );
  });

  it('leaves other errors alone', () => {
    const error = Object.assign(new Error('unique'), { code: 'P2002' });
    expect(regionalWriteError('eu-west', error, 'available')).toBe(error);
  });
});

describe('violatedConstraint', () => {
  it("reads the constraint from Prisma's driver adapter error", () => {
    const error = { code: 'P2002', meta: { driverAdapterError: { cause: { kind: 'UniqueConstraintViolation', constraint: { index: 'directory_pkey' } } } } };
    expect(violatedConstraint(error)).toBe('directory_pkey');
    expect(violatedConstraint(new Error('x'))).toBeNull();
    expect(violatedConstraint(null)).toBeNull();
  });
});
