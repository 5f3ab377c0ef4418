import { isIP } from 'node:net';
import { InvalidSettingError } from './invalid-setting.error';

const NAMED_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * `TRUSTED_PROXIES`: the addresses (IPs, CIDRs, or `loopback`, `linklocal`, `uniquelocal`) of the reverse
 * proxies in front of the app, for Express's `trust proxy`. Unset: none, so `X-Forwarded-For` is ignored and a
 * client's address is its connection's, which no header can change. Set: the client is the first address in
 * `X-Forwarded-For` that is not one of these proxies.
 */
export function trustedProxies(env: NodeJS.ProcessEnv = process.env): string[] | false {
  const raw = env.TRUSTED_PROXIES?.trim();
  if (!raw) return false;
  const entries = raw.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    if (!isProxyAddress(entry)) {
      throw new InvalidSettingError('TRUSTED_PROXIES', `must be IP addresses, CIDR ranges or ${NAMED_RANGES.join('/')} separated by commas, got ${JSON.stringify(entry)}`);
    }
  }
  return entries;
}

function isProxyAddress(entry: string): boolean {
  if (NAMED_RANGES.includes(entry)) return true;
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}
