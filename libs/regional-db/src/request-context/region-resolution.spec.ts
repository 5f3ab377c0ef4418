import { describe, expect, it } from '@jest/globals';
import { bearerRegionClaim, resolveRegion, UnknownRegionHeaderError } from './region-resolution';

const known = ['us-east', 'eu-west', 'asia-pacific'];
const jwt = (payload: unknown) =>
  `Bearer ${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.c2ln`;

describe('resolveRegion', () => {
  it('takes the X-Region header first, case-insensitively', () => {
    expect(resolveRegion('EU-West', jwt({ region: 'asia-pacific' }), known, 'us-east')).toEqual({ region: 'eu-west', source: 'header' });
  });

  it('rejects an unknown X-Region naming it and the known regions', () => {
    expect(() => resolveRegion('mars', undefined, known, 'us-east')).toThrow(UnknownRegionHeaderError);
    expect(() => resolveRegion('mars', undefined, known, 'us-east')).toThrow('Unknown region "mars" in X-Region header (known: us-east, eu-west, asia-pacific)');
    expect(() => resolveRegion(['us-east', 'eu-west'], undefined, known, 'us-east')).toThrow(UnknownRegionHeaderError);
  });

  it('then the JWT region claim, only when it names a known region', () => {
    expect(resolveRegion(undefined, jwt({ sub: 'u1', region: 'asia-pacific' }), known, 'us-east')).toEqual({ region: 'asia-pacific', source: 'token' });
    expect(resolveRegion('  ', jwt({ region: 'mars' }), known, 'us-east')).toEqual({ region: 'us-east', source: 'default' });
  });

  it('else the default', () => {
    expect(resolveRegion(undefined, undefined, known, 'eu-west')).toEqual({ region: 'eu-west', source: 'default' });
  });
});

describe('bearerRegionClaim', () => {
  it('ignores what is not a bearer JWT with a string region', () => {
    expect(bearerRegionClaim(jwt({ region: 'eu-west' }))).toBe('eu-west');
    for (const bad of [undefined, '', 'Basic dXNlcjpwYXNz', 'Bearer abc', 'Bearer a.b.c', jwt({ region: 7 }), jwt(null), jwt('eu-west'), `Bearer x.${'A'.repeat(9000)}.y`]) {
      expect(bearerRegionClaim(bad)).toBeNull();
    }
  });
});
