import { describe, expect, it } from '@jest/globals';
import bcrypt from 'bcryptjs';
import { configFrom } from '../config/settings.module';
import { PasswordHasher as Hasher } from './password-hasher';

/** A hasher with the settings the schema makes of `PASSWORD_HASH_COST` (4 unless given). */
class PasswordHasher extends Hasher {
  constructor(cost = '4') {
    super(configFrom({ PASSWORD_HASH_COST: cost }));
  }
}

describe('PasswordHasher', () => {

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
    expect(await new PasswordHasher('5').verify('correct-horse-7', older)).toEqual({ valid: true, rehash: true });
  });
});
