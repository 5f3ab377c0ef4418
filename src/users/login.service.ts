import { Injectable, UnauthorizedException } from '@nestjs/common';
import { TokenService } from '../auth/token.service';
import { PasswordHasher } from './password-hasher';
import { USER_ROLES } from './user-auth';
import { UserLocator } from './user-locator.service';
import type { LoginBody, LoginResult } from './users.dto';

/**
 * Login (seed 000): find the home region through the discovery path, check the password there, and hand out
 * a token whose `region` claim routes the user's later requests with no lookup.
 */
@Injectable()
export class UserLogin {
  constructor(
    private readonly locator: UserLocator,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
  ) {}

  async login({ handle, password }: LoginBody): Promise<LoginResult> {
    const found = await this.locator.locate(handle, (db) =>
      db.user.findUnique({ where: { username: handle }, select: { id: true, passwordHash: true } }),
    );
    // Same answer, and about the same time, for an unknown handle and a wrong password.
    const valid = await this.hasher.verify(password, found?.row.passwordHash ?? null);
    if (!found || !valid) throw new UnauthorizedException('Invalid handle or password');
    const accessToken = this.tokens.sign({ sub: found.row.id, roles: USER_ROLES, region: found.region });
    return { accessToken, region: found.region, userId: found.row.id };
  }
}
