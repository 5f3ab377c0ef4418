import { Module } from '@nestjs/common';
import { HealthModule } from '../health/health.module';
import { ConnectionRouterService } from './connection-router.service';
import { DownReplicaAbort } from './down-replica-abort';

/**
 * Query routing for feature modules (`constructor(private readonly db: ConnectionRouter)`); queries in flight on a
 * replica confirmed down are cut. The request context (`RequestContextModule`) and the read-your-writes token on
 * responses (`ConsistencyTokenInterceptor`) are the application's to register.
 */
@Module({
  imports: [HealthModule],
  providers: [ConnectionRouterService, DownReplicaAbort],
  exports: [ConnectionRouterService],
})
export class RouterModule {}
