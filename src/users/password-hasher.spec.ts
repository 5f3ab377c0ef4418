import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import bcrypt from 'bcryptjs';
import { PasswordHasher } from './password-hasher';

describe('PasswordHasher', () => {
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env.PASSWORD_HASH_COST;
    process.env.PASSWORD_HASH_COST = '4';
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.PASSWORD_HASH_COST;
    else process.env.PASSWORD_HASH_COST = saved;
  });

  it('hashes with scrypt at the configured cost, salted, and verifies', async () => {
    const hasher = new PasswordHasher();
    const [a, b] = await Promise.all([hasher.hash('correct-horse-7'), hasher.hash('correct-horse-7')]);
    expect(a).toMatch(/^\$scrypt\$ln=4,r=8,p=1\$/);
    expect(a).not.toBe(b);
    expect(await hasher.verify('correct-horse-7', a)).toEqual({ valid: true, rehash: false });
    expect(await hasher.verify('wrong-horse-8', a)).toEqual({ valid: false, rehash: false });
  });

  it('never accepts a password without a stored hash (the decoy), nor a hash it cannot read', async () => {
    const hasher = new PasswordHasher();
    expect(await hasher.verify('no user has this password', null)).toEqual({ valid: false, rehash: false });
    expect(await hasher.verify('anything', 'garbage')).toEqual({ valid: false, rehash: false });
  });

  it('accepts a bcrypt hash from before and asks for a rehash only when the password is right', async () => {
    const hasher = new PasswordHasher();
    const old = bcrypt.hashSync('correct-horse-7', 4);
    expect(await hasher.verify('correct-horse-7', old)).toEqual({ valid: true, rehash: true });
    expect(await hasher.verify('wrong-horse-8', old)).toEqual({ valid: false, rehash: false });
  });

  it('asks for a rehash of a scrypt hash made at another cost', async () => {
    const older = await new PasswordHasher().hash('correct-horse-7');
    process.env.PASSWORD_HASH_COST = '5';
    expect(await new PasswordHasher().verify('correct-horse-7', older)).toEqual({ valid: true, rehash: true });
  });
});
