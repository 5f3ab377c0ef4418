import { isIP } from 'node:net';

export const NAMED_PROXY_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * `TRUSTED_PROXIES` (checked by the settings schema): the addresses (IPs, CIDRs, or `loopback`, `linklocal`,
 * `uniquelocal`) of the reverse proxies in front of the app, for Express's `trust proxy`. Unset: none, so
 * `X-Forwarded-For` is ignored and a client's address is its connection's, which no header can change. Set: the
 * client is the first address in `X-Forwarded-For` that is not one of these proxies.
 */
export function trustedProxies(setting: string | undefined): string[] | false {
  return setting ? setting.split(',').map((entry) => entry.trim()) : false;
}

export function isProxyAddress(entry: string): boolean {
  if (NAMED_PROXY_RANGES.includes(entry)) return true;
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}
