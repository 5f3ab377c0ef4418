import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../config/settings.module';
import { EndpointRegistry } from './endpoint-registry';
import { InstanceIdentity } from './instance-identity';

/** One pool and Prisma client per endpoint of the topology (SettingsModule provides it). */
@Global()
@Module({
  providers: [
    EndpointRegistry,
    { provide: InstanceIdentity, useFactory: (config: AppConfig) => new InstanceIdentity(config.get('INSTANCE_ID', { infer: true })), inject: [ConfigService] },
  ],
  exports: [EndpointRegistry, InstanceIdentity],
})
export class DatabaseModule {}
