import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AUTH_SETTINGS, type AuthSettings, parseTtl } from './auth.settings';
import { Role } from './roles';

export interface TokenClaims {
  sub: string;
  roles: Role[];
  region?: string;
}

/** Mints the tokens JwtStrategy accepts (same key, algorithm, issuer and audience): for user login and the CLI. */
@Injectable()
export class TokenService {
  private readonly jwt = new JwtService();

  constructor(@Inject(AUTH_SETTINGS) private readonly settings: AuthSettings) {}

  /** `ttl` in seconds or as `15m`, `1h`, `7d`; the configured JWT_TTL by default. */
  sign(claims: TokenClaims, ttl?: number | string): string {
    const { keys, issuer, audience } = this.settings;
    const expiresIn = ttl === undefined ? this.settings.ttlSeconds : parseTtl(String(ttl), 'ttl');
    const key = keys.algorithm === 'HS256' ? keys.secret : keys.privateKey;
    if (!key) throw new Error('Cannot sign tokens: RS256 needs JWT_PRIVATE_KEY (only JWT_PUBLIC_KEY is set)');
    const payload = { roles: claims.roles, ...(claims.region === undefined ? {} : { region: claims.region }) };
    return this.jwt.sign(payload, { secret: key, algorithm: keys.algorithm, subject: claims.sub, expiresIn, issuer, audience });
  }
}
