import { describe, expect, it } from '@jest/globals';
import { parseLsn } from '../database/lsn';
import { lagAt, lagBytes, lagSample, PrimaryLsnHistory, reportedLag } from './replication-lag';

const lsn = (text: string) => parseLsn(text)!;

describe('lagBytes', () => {
  it('is pg_wal_lsn_diff(primary, replay) across the 32-bit boundary', () => {
    expect(lagBytes(lsn('1/0'), lsn('0/FFFFFF00'))).toBe(0x100);
    expect(lagBytes(lsn('16/B374D848'), lsn('16/B3000000'))).toBe(0x74d848);
  });

  it('never goes negative when the replica was sampled after the primary moved on', () => {
    expect(lagBytes(lsn('0/3000000'), lsn('0/3000100'))).toBe(0);
  });
});

describe('lagSample and lagAt', () => {
  const history = [
    { at: 1_000, lsn: lsn('0/1000') },
    { at: 2_000, lsn: lsn('0/2000') },
    { at: 5_000, lsn: lsn('0/3000') },
  ];
  const FRESH = 2_000;

  it('is unknown without any primary position', () => {
    expect(lagSample([], lsn('0/1000'), 1_000, FRESH)).toBeNull();
  });

  it('is 0 bytes and 0 ms for a replica that has what the primary last showed, however old its last commit', () => {
    const sample = lagSample(history, lsn('0/3000'), 90_000, FRESH)!;
    expect(sample).toEqual({ at: 90_000, bytes: 0, behindSince: null, freshUntil: 92_000 });
    expect(lagAt(sample, 91_500)).toBe(0);
    expect(reportedLag(sample)).toEqual({ bytes: 0, ms: 0 });
  });

  it('counts time from when the primary was first seen past the replica', () => {
    // Replayed 0/2000: the primary was first seen beyond it at 5 000.
    expect(reportedLag(lagSample(history, lsn('0/2000'), 8_000, FRESH))).toEqual({ bytes: 0x1000, ms: 3_000 });
    // Between samples: 0/1800 is missing what the primary had at 2 000.
    expect(reportedLag(lagSample(history, lsn('0/1800'), 8_000, FRESH))).toEqual({ bytes: 0x1800, ms: 6_000 });
  });

  it('is 0 ms when the replica was sampled before the primary position it is compared with', () => {
    expect(reportedLag(lagSample(history, lsn('0/2FFF'), 4_000, FRESH))).toEqual({ bytes: 1, ms: 0 });
  });

  it('keeps growing between readings for a replica that is behind (paused replay under writes)', () => {
    const sample = lagSample(history, lsn('0/2000'), 5_500, FRESH)!;
    expect(lagAt(sample, 5_500)).toBe(500);
    expect(lagAt(sample, 10_001)).toBe(5_001);
  });

  it('stops vouching for a caught-up replica once its reading is stale: the age is all that is known', () => {
    const sample = lagSample(history, lsn('0/3000'), 6_000, FRESH)!;
    expect(lagAt(sample, 8_000)).toBe(0);
    expect(lagAt(sample, 8_001)).toBe(2_001);
    expect(lagAt(sample, 12_000)).toBe(6_000);
  });
});

describe('PrimaryLsnHistory', () => {
  it('keeps one entry per distinct position, at the time it was first seen', () => {
    const h = new PrimaryLsnHistory();
    h.record('p', 1, lsn('0/10'));
    h.record('p', 2, lsn('0/10'));
    h.record('p', 3, lsn('0/20'));
    expect(h.all()).toEqual([{ at: 1, lsn: lsn('0/10') }, { at: 3, lsn: lsn('0/20') }]);
  });

  it('starts over for a new primary or a position that went backwards', () => {
    const h = new PrimaryLsnHistory();
    h.record('p', 1, lsn('0/10'));
    h.record('q', 2, lsn('0/30'));
    expect(h.primaryId).toBe('q');
    expect(h.all()).toEqual([{ at: 2, lsn: lsn('0/30') }]);
    h.record('q', 3, lsn('0/20'));
    expect(h.all()).toEqual([{ at: 3, lsn: lsn('0/20') }]);
  });

  it('stays bounded', () => {
    const h = new PrimaryLsnHistory(3);
    for (let i = 1; i <= 10; i++) h.record('p', i, BigInt(i));
    expect(h.all().map((s) => s.at)).toEqual([8, 9, 10]);
    expect(h.latest()).toEqual({ at: 10, lsn: 10n });
  });
});
