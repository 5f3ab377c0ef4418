import { describe, expect, it } from '@jest/globals';
import { formatLsn, hasReached, laterLsn, parseLsn } from './lsn';

describe('LSN', () => {
  it('parses both halves, the high one shifted by 32 bits', () => {
    expect(parseLsn('0/0')).toBe(0n);
    expect(parseLsn('0/3000060')).toBe(0x3000060n);
    expect(parseLsn('16/B374D848')).toBe(0x16b374d848n);
    expect(parseLsn('FFFFFFFF/FFFFFFFF')).toBe(0xffffffffffffffffn);
  });

  it('orders by the high half first, not by string or by the low half', () => {
    // As strings '1/0' < 'F/0' < '0/FFFFFFFF' would be wrong; as numbers 0/FFFFFFFF < 1/0.
    expect(parseLsn('0/FFFFFFFF')! < parseLsn('1/0')!).toBe(true);
    expect(parseLsn('A/0')! > parseLsn('9/FFFFFFFF')!).toBe(true);
    expect(parseLsn('0/2A0')! > parseLsn('0/29F')!).toBe(true);
  });

  it('rejects what is not an LSN', () => {
    for (const bad of ['', '0', '0/', '/0', 'G/0', '0/0/0', '123456789/0', ' 0/0', '0/0 ', '-1/0', '0x1/0']) {
      expect(parseLsn(bad)).toBeNull();
    }
    expect(parseLsn(null)).toBeNull();
  });

  it('round-trips in PostgreSQL spelling', () => {
    expect(formatLsn(parseLsn('16/b374d848')!)).toBe('16/B374D848');
    expect(formatLsn(0n)).toBe('0/0');
  });

  it('a lagging replica has not reached the write; one at or past it has', () => {
    const write = parseLsn('0/3000060')!;
    expect(hasReached(parseLsn('0/3000000'), write)).toBe(false);
    expect(hasReached(parseLsn('0/3000060'), write)).toBe(true);
    expect(hasReached(parseLsn('1/0'), write)).toBe(true);
    expect(hasReached(null, write)).toBe(false);
  });

  it('keeps the later position', () => {
    expect(laterLsn(1n, 2n)).toBe(2n);
    expect(laterLsn(3n, 2n)).toBe(3n);
    expect(laterLsn(null, 2n)).toBe(2n);
    expect(laterLsn(null, null)).toBeNull();
  });
});
