import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AppConfig, environmentOf } from '../config/settings.module';
import { AddressThrottleGuard } from './address-throttle.guard';
import { Throttle } from './throttle.service';
import { THROTTLE_SETTINGS, throttleSettings } from './throttle.settings';

/** Global: `@ThrottlePerAddress()` builds its guard in whichever module uses it. */
@Global()
@Module({
  providers: [{ provide: THROTTLE_SETTINGS, useFactory: (config: AppConfig) => throttleSettings(environmentOf(config)), inject: [ConfigService] }, Throttle, AddressThrottleGuard],
  exports: [Throttle, AddressThrottleGuard],
})
export class ThrottleModule {}
