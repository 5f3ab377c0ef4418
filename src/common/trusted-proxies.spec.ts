import { describe, expect, it } from '@jest/globals';
import { trustedProxies } from './trusted-proxies';

describe('trustedProxies', () => {
  it('trusts no proxy unless told (X-Forwarded-For is then ignored)', () => {
    expect(trustedProxies({})).toBe(false);
    expect(trustedProxies({ TRUSTED_PROXIES: ' ' })).toBe(false);
  });

  it('takes addresses, CIDR ranges and the named ranges', () => {
    expect(trustedProxies({ TRUSTED_PROXIES: 'loopback, 10.0.0.0/8,::1,fd00::/8,172.18.0.5' })).toEqual(['loopback', '10.0.0.0/8', '::1', 'fd00::/8', '172.18.0.5']);
  });

  it.each(['nginx', '10.0.0.0/33', '1.2.3', '10.0.0.0/8/1', '*'])('refuses %s, naming the variable', (value) => {
    expect(() => trustedProxies({ TRUSTED_PROXIES: value })).toThrow(/^Invalid setting TRUSTED_PROXIES: must be IP addresses/);
  });
});
