import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { HealthModule } from '../health/health.module';
import { RequestContextModule } from '../request-context/request-context.module';
import { ConnectionRouterService } from './connection-router.service';
import { ConsistencyTokenInterceptor } from './consistency-token.interceptor';
import { DownReplicaAbort } from './down-replica-abort';

/**
 * Query routing for feature modules (`constructor(private readonly db: ConnectionRouter)`), the request context
 * every HTTP request runs in, the read-your-writes token on responses, and the connection pool endpoints; queries
 * in flight on a replica confirmed down are cut.
 */
@Module({
  imports: [HealthModule, RequestContextModule],
  providers: [ConnectionRouterService, DownReplicaAbort, { provide: APP_INTERCEPTOR, useClass: ConsistencyTokenInterceptor }],
  exports: [ConnectionRouterService],
})
export class RouterModule {}
