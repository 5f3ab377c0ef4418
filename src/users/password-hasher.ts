import { Injectable } from '@nestjs/common';
import bcrypt from 'bcryptjs';
import { envInt } from '../config/env';

/** bcrypt with `PASSWORD_HASH_COST` rounds (default 10; tests may go down to 4). */
@Injectable()
export class PasswordHasher {
  private readonly cost = envInt(process.env, 'PASSWORD_HASH_COST', 10, 4, 15);
  /** Compared against when there is no user, so an unknown handle takes as long as a wrong password. */
  private readonly decoy = bcrypt.hashSync('no user has this password', this.cost);

  hash(password: string): Promise<string> {
    return bcrypt.hash(password, this.cost);
  }

  verify(password: string, hash: string | null): Promise<boolean> {
    return bcrypt.compare(password, hash ?? this.decoy).then((ok) => ok && hash !== null);
  }
}
