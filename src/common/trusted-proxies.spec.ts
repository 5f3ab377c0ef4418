import { describe, expect, it } from '@jest/globals';
import { validateEnvironment } from '../config/environment';
import { trustedProxies } from './trusted-proxies';

const proxies = (value: string) => trustedProxies(validateEnvironment({ TRUSTED_PROXIES: value }).TRUSTED_PROXIES);

describe('trustedProxies', () => {
  it('trusts no proxy unless told (X-Forwarded-For is then ignored)', () => {
    expect(trustedProxies(undefined)).toBe(false);
    expect(proxies(' ')).toBe(false);
  });

  it('takes addresses, CIDR ranges and the named ranges', () => {
    expect(proxies('loopback, 10.0.0.0/8,::1,fd00::/8,172.18.0.5')).toEqual(['loopback', '10.0.0.0/8', '::1', 'fd00::/8', '172.18.0.5']);
  });

  it.each(['nginx', '10.0.0.0/33', '1.2.3', '10.0.0.0/8/1', '*'])('refuses %s, naming the variable', (value) => {
    expect(() => proxies(value)).toThrow(/^Invalid setting TRUSTED_PROXIES: must be IP addresses/);
  });
});
