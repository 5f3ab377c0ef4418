import { Global, Module } from '@nestjs/common';
import { EndpointRegistry } from './endpoint-registry';

/** One pool and Prisma client per endpoint of the topology (TopologyModule must be imported first). */
@Global()
@Module({
  providers: [EndpointRegistry],
  exports: [EndpointRegistry],
})
export class DatabaseModule {}
