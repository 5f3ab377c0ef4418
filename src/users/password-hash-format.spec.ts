import { describe, expect, it } from '@jest/globals';
import { formatScryptHash, isBcryptHash, needsRehash, parseScryptHash } from './password-hash-format';

const key = Buffer.alloc(32, 7);
const salt = Buffer.alloc(16, 1);
const stored = formatScryptHash({ logN: 15, r: 8, p: 1, salt, key });
const bcrypt = '$2b$10$' + 'a'.repeat(53);

describe('password hash format', () => {
  it('round-trips a scrypt hash with its parameters', () => {
    expect(stored).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$/);
    expect(parseScryptHash(stored)).toEqual({ logN: 15, r: 8, p: 1, salt, key });
  });

  it('does not take a bcrypt hash or garbage for scrypt', () => {
    expect(parseScryptHash(bcrypt)).toBeNull();
    expect(parseScryptHash('$scrypt$ln=15,r=8,p=1$c2FsdA==$c2hvcnQ=')).toBeNull();
    expect(parseScryptHash('')).toBeNull();
    expect(parseScryptHash(formatScryptHash({ logN: 40, r: 8, p: 1, salt, key }))).toBeNull();
    expect(parseScryptHash(formatScryptHash({ logN: 15, r: 0, p: 1, salt, key }))).toBeNull();
  });

  it('recognises bcrypt hashes', () => {
    expect(isBcryptHash(bcrypt)).toBe(true);
    expect(isBcryptHash('$2y$04$' + 'Z'.repeat(53))).toBe(true);
    expect(isBcryptHash(stored)).toBe(false);
  });

  it('asks for a rehash of bcrypt and of scrypt with other parameters only', () => {
    expect(needsRehash(bcrypt, { logN: 15, r: 8, p: 1 })).toBe(true);
    expect(needsRehash(stored, { logN: 15, r: 8, p: 1 })).toBe(false);
    expect(needsRehash(stored, { logN: 16, r: 8, p: 1 })).toBe(true);
  });
});
