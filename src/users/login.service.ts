import { Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { TokenService } from '../auth/token.service';
import { ConnectionRouter, redactSecrets } from '@regional-db/nestjs';
import { Throttle } from '../throttle/throttle.service';
import { PasswordHasher } from './password-hasher';
import { USER_ROLES } from './user-auth';
import { UserLocator } from './user-locator.service';
import type { LoginBody, LoginResult } from './users.dto';

/**
 * Login (seed 000): find the home region through the discovery path, check the password there, and hand out
 * a token whose `region` claim routes the user's later requests with no lookup. A handle with repeated
 * failures is held for a while (429), and a password stored the old way is rehashed once it is known right.
 */
@Injectable()
export class UserLogin {
  private readonly logger = new Logger(UserLogin.name);

  constructor(
    private readonly db: ConnectionRouter,
    private readonly locator: UserLocator,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly throttle: Throttle,
  ) {}

  async login({ handle, password }: LoginBody): Promise<LoginResult> {
    await this.throttle.assertLoginAllowed(handle);
    const found = await this.locator.locate(handle, (db) =>
      db.user.findUnique({ where: { username: handle }, select: { id: true, passwordHash: true } }),
    );
    // Same answer, and about the same time, for an unknown handle and a wrong password.
    const check = await this.hasher.verify(password, found?.row.passwordHash ?? null);
    if (!found || !check.valid) {
      await this.throttle.loginFailed(handle);
      throw new UnauthorizedException('Invalid handle or password');
    }
    await this.throttle.loginSucceeded(handle);
    if (check.rehash) await this.upgradeHash(found.region, found.row.id, password);
    const accessToken = this.tokens.sign({ sub: found.row.id, roles: USER_ROLES, region: found.region });
    return { accessToken, region: found.region, userId: found.row.id };
  }

  /** A failed upgrade costs nothing but a retry at the next login. */
  private async upgradeHash(region: string, id: string, password: string): Promise<void> {
    try {
      await this.db.write(region).user.update({ where: { id }, data: { passwordHash: await this.hasher.hash(password) } });
    } catch (error) {
      this.logger.warn(`password hash of user ${id} not upgraded (next login retries): ${redactSecrets(String((error as Error)?.message ?? error))}`);
    }
  }
}
