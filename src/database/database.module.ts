import { Global, Module } from '@nestjs/common';
import { EndpointRegistry } from './endpoint-registry';
import { InstanceIdentity } from './instance-identity';

/** One pool and Prisma client per endpoint of the topology (TopologyModule must be imported first). */
@Global()
@Module({
  providers: [EndpointRegistry, InstanceIdentity],
  exports: [EndpointRegistry, InstanceIdentity],
})
export class DatabaseModule {}
