import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import bcrypt from 'bcryptjs';
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { ConcurrencyLimit } from '@regional-db/nestjs';
import type { AppConfig } from '../config/settings.module';
import { formatScryptHash, isBcryptHash, needsRehash, parseScryptHash, SCRYPT_KEY_LENGTH, ScryptParams } from './password-hash-format';

export interface PasswordCheck {
  valid: boolean;
  /** Valid, but stored the old way (bcrypt, or other scrypt parameters): store `hash()` of it now. */
  rehash: boolean;
}

function scryptKey(password: string, salt: Buffer, { logN, r, p }: ScryptParams): Promise<Buffer> {
  const N = 2 ** logN;
  return new Promise((resolve, reject) =>
    // libuv's thread pool does the work: the event loop keeps serving while logins hash.
    scrypt(password, salt, SCRYPT_KEY_LENGTH, { N, r, p, maxmem: 256 * N * r }, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/**
 * scrypt (node:crypto, off the event loop) with N = 2^`PASSWORD_HASH_COST` (default 15: 32 MiB, tens of ms of
 * one core), r 8, p 1. At most `PASSWORD_HASH_CONCURRENCY` hashes at once (default: one core fewer than the
 * machine has, at least 1), so a burst of logins never takes the core the event loop needs. bcrypt hashes
 * stored before are still accepted, and flagged for a rehash.
 */
@Injectable()
export class PasswordHasher {
  readonly params: ScryptParams;
  private readonly hashing: ConcurrencyLimit;
  /** Compared against when there is no user, so an unknown handle takes as long as a wrong password. */
  private decoy?: Promise<string>;

  constructor(@Inject(ConfigService) config: AppConfig) {
    this.params = { logN: config.get('PASSWORD_HASH_COST', { infer: true }), r: 8, p: 1 };
    this.hashing = new ConcurrencyLimit(config.get('PASSWORD_HASH_CONCURRENCY', { infer: true }) ?? Math.max(1, availableParallelism() - 1));
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    return formatScryptHash({ ...this.params, salt, key: await this.hashing.run(() => scryptKey(password, salt, this.params)) });
  }

  async verify(password: string, stored: string | null): Promise<PasswordCheck> {
    if (stored !== null && isBcryptHash(stored)) {
      const valid = await bcrypt.compare(password, stored);
      return { valid, rehash: valid };
    }
    this.decoy ??= this.hash('no user has this password');
    const parsed = parseScryptHash(stored ?? (await this.decoy));
    if (!parsed) return { valid: false, rehash: false };
    const key = await this.hashing.run(() => scryptKey(password, parsed.salt, parsed));
    const valid = timingSafeEqual(key, parsed.key) && stored !== null;
    return { valid, rehash: valid && needsRehash(stored, this.params) };
  }
}
