import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AUTH_SETTINGS, type AuthSettings } from './auth.settings';
import { AuthenticatedUser, authenticatedUser } from './authenticated-user';

/** Verifies the bearer token: the one configured algorithm (never `none`), signature, expiry, issuer, audience. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(@Inject(AUTH_SETTINGS) settings: AuthSettings) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: settings.keys.algorithm === 'HS256' ? settings.keys.secret : settings.keys.publicKey,
      algorithms: [settings.keys.algorithm],
      issuer: settings.issuer,
      audience: settings.audience,
      ignoreExpiration: false,
    });
  }

  validate(payload: unknown): AuthenticatedUser {
    return authenticatedUser(payload);
  }
}
