import { describe, expect, it } from '@jest/globals';
import { decodeConsistencyToken, encodeConsistencyToken, mergeConsistencyPositions } from './consistency-token';

const groups = new Set(['us-east', 'eu-west', 'global']);

describe('consistency token', () => {
  it('round-trips group positions', () => {
    const positions = new Map([
      ['us-east', '0/3000060'],
      ['global', '1/2A0'],
    ]);
    const token = encodeConsistencyToken(positions);
    expect(token).toBe('us-east@0/3000060;global@1/2A0');
    expect(decodeConsistencyToken(token, groups)).toEqual(positions);
  });

  it('normalises the LSN spelling', () => {
    expect(decodeConsistencyToken('eu-west@0/2a0', groups)).toEqual(new Map([['eu-west', '0/2A0']]));
  });

  it('ignores a malformed token whole', () => {
    for (const bad of [
      '',
      'us-east',
      'us-east@',
      '@0/1',
      'us-east@0/1;',
      'us-east@0/1;mars@0/1',
      'us-east@0/1;us-east@0/2',
      'us-east@zz/1',
      'us-east@0/1 ',
      `us-east@0/1;${'x'.repeat(2000)}`,
    ]) {
      expect(decodeConsistencyToken(bad, groups).size).toBe(0);
    }
    expect(decodeConsistencyToken(undefined, groups).size).toBe(0);
  });

  it('merges forward only', () => {
    const merged = mergeConsistencyPositions(
      new Map([
        ['us-east', '0/500'],
        ['eu-west', '0/100'],
      ]),
      new Map([
        ['us-east', '0/400'],
        ['global', '0/9'],
      ]),
    );
    expect(merged).toEqual(
      new Map([
        ['us-east', '0/500'],
        ['eu-west', '0/100'],
        ['global', '0/9'],
      ]),
    );
  });
});
