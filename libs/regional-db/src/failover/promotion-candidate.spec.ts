import { describe, expect, it } from '@jest/globals';
import { parseTopology } from '../config/topology.parser';
import { choosePromotionCandidate, ReplicaPosition } from './promotion-candidate';
import { primaryConninfo } from './postgres-admin';

const url = (n: number) => `postgresql://app:pw@127.0.0.1:${n}/app`;
const group = parseTopology(
  {
    regions: {
      'us-east': {
        primary: { url: url(1) },
        replicas: [{ url: url(2) }, { url: url(3) }, { id: 'dr', url: url(4), region: 'eu-west', priority: 0 }],
      },
      'eu-west': { primary: { url: url(5) } },
    },
  },
  'spec',
).groups[0];
const [r1, r2, dr] = group.replicas;
const at = (endpoint = r1, lsn: string | null = '0/100', extra: Partial<ReplicaPosition> = {}): ReplicaPosition => ({
  endpoint, reachable: true, inRecovery: true, lsn, fenced: false, ...extra,
});
const rules = { primaryLsn: '0/200', maximumLagBytes: 1024 };

describe('choosePromotionCandidate', () => {
  it('takes the most advanced replica (it loses least)', () => {
    const choice = choosePromotionCandidate(group, [at(r1, '0/100'), at(r2, '0/180')], rules);
    expect(choice.candidate?.id).toBe('us-east-replica-2');
    expect(choice.lagBytes).toBe(0x80);
  });

  it('prefers an in-region replica to a cross-region DR replica at the same position, then priority', () => {
    expect(choosePromotionCandidate(group, [at(dr, '0/180'), at(r2, '0/180')], rules).candidate?.id).toBe('us-east-replica-2');
    expect(choosePromotionCandidate(group, [at(r2, '0/180'), at(r1, '0/180')], rules).candidate?.id).toBe('us-east-replica-1');
    // Position beats locality: the DR replica that holds more is the one that loses nothing.
    expect(choosePromotionCandidate(group, [at(dr, '0/1F0'), at(r2, '0/180')], rules).candidate?.id).toBe('dr');
  });

  it('compares positions across the 32-bit boundary numerically, not as text', () => {
    const choice = choosePromotionCandidate(group, [at(r1, '1/0'), at(r2, '0/FFFFFFFF')], { primaryLsn: null, maximumLagBytes: null });
    expect(choice.candidate?.id).toBe('us-east-replica-1');
  });

  it('skips unreachable, fenced, promoted and too-far-behind replicas, and says why when none is left', () => {
    const choice = choosePromotionCandidate(
      group,
      [at(r1, '0/100', { reachable: false }), at(r2, '0/180', { fenced: true }), at(dr, '0/1', {})],
      { primaryLsn: '0/200', maximumLagBytes: 256 },
    );
    expect(choice.candidate).toBeNull();
    expect(choice.reason).toContain('us-east-replica-1: unreachable');
    expect(choice.reason).toContain('us-east-replica-2: fenced');
    expect(choice.reason).toContain('dr: 511 bytes behind (limit 256)');
  });

  it('accepts a lagging replica when no bound is configured, and honours an explicit target', () => {
    expect(choosePromotionCandidate(group, [at(r1, '0/1')], { primaryLsn: '9/0', maximumLagBytes: null }).candidate?.id).toBe('us-east-replica-1');
    const targeted = choosePromotionCandidate(group, [at(r1, '0/100'), at(r2, '0/180')], { ...rules, target: 'us-east-replica-1' });
    expect(targeted.candidate?.id).toBe('us-east-replica-1');
    expect(choosePromotionCandidate(group, [at(r1, '0/100', { inRecovery: false })], rules).reason).toContain('not a replica');
    expect(choosePromotionCandidate(group, [at(r1, 'garbage')], rules).reason).toContain('no WAL position');
  });
});

describe('primaryConninfo', () => {
  it('quotes every value so a password with quotes or spaces survives', () => {
    const info = primaryConninfo("postgresql://rep:it's%20me@10.0.0.1:6543/app?sslmode=require", 'eu-west-replica-1');
    expect(info).toBe("host='10.0.0.1' port='6543' user='rep' application_name='eu-west-replica-1' password='it\\'s me' sslmode='require'");
  });
});
