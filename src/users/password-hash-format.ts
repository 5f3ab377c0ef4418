/** scrypt's parameters: N = 2^logN (cost), r (block size), p (parallelism). */
export interface ScryptParams {
  logN: number;
  r: number;
  p: number;
}

export interface ScryptHash extends ScryptParams {
  salt: Buffer;
  key: Buffer;
}

export const SCRYPT_KEY_LENGTH = 32;
const PREFIX = '$scrypt$';

/** `$scrypt$ln=15,r=8,p=1$<salt base64>$<key base64>`: self-describing, so the cost can change without a migration. */
export function formatScryptHash({ logN, r, p, salt, key }: ScryptHash): string {
  return `${PREFIX}ln=${logN},r=${r},p=${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** The stored hash's parts, or null when it is not one of ours (a bcrypt hash from before, or garbage). */
export function parseScryptHash(stored: string): ScryptHash | null {
  const match = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(stored);
  if (!match) return null;
  const key = Buffer.from(match[5], 'base64');
  const [logN, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // Parameters no hasher of ours writes would ask scrypt for gigabytes: not a hash to verify against.
  if (key.length !== SCRYPT_KEY_LENGTH || logN < 1 || logN > 20 || r < 1 || r > 32 || p < 1 || p > 16) return null;
  return { logN, r, p, salt: Buffer.from(match[4], 'base64'), key };
}

/** A bcrypt hash (bcryptjs's and OpenBSD's variants), as every password was stored before scrypt. */
export function isBcryptHash(stored: string): boolean {
  return /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/.test(stored);
}

/** Rehash at the next successful login: a bcrypt hash, or scrypt with other parameters than today's. */
export function needsRehash(stored: string, current: ScryptParams): boolean {
  const parsed = parseScryptHash(stored);
  return parsed === null || parsed.logN !== current.logN || parsed.r !== current.r || parsed.p !== current.p;
}
