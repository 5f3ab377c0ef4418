import { Global, Logger, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AppConfig, environmentOf } from '../config/settings.module';
import type { Environment } from '../config/environment';
import { PassportModule } from '@nestjs/passport';
import { AUTH_SETTINGS, AuthSettings, loadAuthSettings, secretFilePath } from './auth.settings';
import { JwtStrategy } from './jwt.strategy';
import { MUTATION_RATE_LIMIT, MutationRateLimiter, mutationRateLimitSettings } from './mutation-rate-limit';
import { TokenService } from './token.service';

function authSettingsAtStart(env: Environment): AuthSettings {
  const settings = loadAuthSettings(env);
  const logger = new Logger('Auth');
  if (settings.keySource === 'generated') {
    logger.warn(
      `No JWT_SECRET, JWT_PUBLIC_KEY or ${secretFilePath(env)}: signing with a random secret, so tokens will not survive a restart. ` +
        '`npm run token -- --role admin` creates that file; restart to share its secret with the CLI.',
    );
  } else {
    logger.log(`JWT ${settings.keys.algorithm} key from ${settings.keySource}; issuer ${settings.issuer}, audience ${settings.audience}`);
  }
  return settings;
}

/** Global: the guards of `@ViewerOrAdmin()`/`@AdminOnly()`/`@AdminMutation()` (and the admin API's access guards) are built in whichever module uses them. */
@Global()
@Module({
  imports: [PassportModule],
  providers: [
    { provide: AUTH_SETTINGS, useFactory: (config: AppConfig) => authSettingsAtStart(environmentOf(config)), inject: [ConfigService] },
    { provide: MUTATION_RATE_LIMIT, useFactory: (config: AppConfig) => mutationRateLimitSettings(environmentOf(config)), inject: [ConfigService] },
    JwtStrategy,
    TokenService,
    MutationRateLimiter,
  ],
  exports: [AUTH_SETTINGS, TokenService, MutationRateLimiter],
})
export class AuthModule {}
