import { Global, Module } from '@nestjs/common';
import { REGIONAL_DATABASE_SETTINGS, RegionalDatabaseSettings } from '../config/regional-database.settings';
import { EndpointRegistry } from './endpoint-registry';
import { InstanceIdentity } from './instance-identity';

/** One pool and Prisma client per endpoint of the topology (SettingsModule provides it). */
@Global()
@Module({
  providers: [
    EndpointRegistry,
    { provide: InstanceIdentity, useFactory: (settings: RegionalDatabaseSettings) => new InstanceIdentity(settings.INSTANCE_ID), inject: [REGIONAL_DATABASE_SETTINGS] },
  ],
  exports: [EndpointRegistry, InstanceIdentity],
})
export class DatabaseModule {}
