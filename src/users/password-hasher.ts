import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import bcrypt from 'bcryptjs';
import type { AppConfig } from '../config/settings.module';

/** bcrypt with `PASSWORD_HASH_COST` rounds (default 10; tests may go down to 4). */
@Injectable()
export class PasswordHasher {
  private readonly cost: number;
  /** Compared against when there is no user, so an unknown handle takes as long as a wrong password. */
  private readonly decoy: string;

  constructor(@Inject(ConfigService) config: AppConfig) {
    this.cost = config.get('PASSWORD_HASH_COST', { infer: true });
    this.decoy = bcrypt.hashSync('no user has this password', this.cost);
  }

  hash(password: string): Promise<string> {
    return bcrypt.hash(password, this.cost);
  }

  verify(password: string, hash: string | null): Promise<boolean> {
    return bcrypt.compare(password, hash ?? this.decoy).then((ok) => ok && hash !== null);
  }
}
