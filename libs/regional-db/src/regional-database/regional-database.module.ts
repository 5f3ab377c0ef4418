import { Global, Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { REGIONAL_DATABASE_SETTINGS, regionalDatabaseSettings } from '../config/regional-database.settings';
import { TOPOLOGY } from '../config/topology.module';
import { DatabaseModule } from '../database/database.module';
import { PRISMA_CLIENTS } from '../database/prisma-clients';
import { FailoverModule } from '../failover/failover.module';
import { HealthModule } from '../health/health.module';
import { RedisModule } from '../redis/redis.module';
import { RouterModule } from '../router/router.module';
import { TopologyStateModule } from '../topology-state/topology-state.module';
import { ConfigurableModuleClass, REGIONAL_DATABASE_OPTIONS, RegionalDatabaseOptions } from './regional-database.module-definition';

/**
 * Regional routing, health, alerts and failover over the application's own Prisma clients:
 *
 *   RegionalDatabaseModule.forRootAsync({ inject: [ConfigService], useFactory: (config) => ({ topology, clients: { regional: PrismaClient }, settings }) })
 *
 * then inject `ConnectionRouter`. Its settings are the `settings` option (`RegionalDatabaseSettings`), checked
 * before anything connects. Global so that its own modules and the application's see the one topology and
 * router. It registers no interceptor, middleware or controller: the request context (`RequestContextModule`),
 * the read-your-writes header (`ConsistencyTokenInterceptor`), the admin API (`DatabaseAdminModule`), probes
 * (`ProbesModule`), Terminus indicators (`RegionalDatabaseHealthModule`) and metrics (`MetricsModule`) are
 * pieces the application imports (or leaves out) beside it.
 */
@Global()
@Module({
  imports: [RedisModule, DatabaseModule, TopologyStateModule, HealthModule, AlertsModule, RouterModule, FailoverModule],
  providers: [
    { provide: TOPOLOGY, inject: [REGIONAL_DATABASE_OPTIONS], useFactory: (options: RegionalDatabaseOptions) => options.topology },
    { provide: PRISMA_CLIENTS, inject: [REGIONAL_DATABASE_OPTIONS], useFactory: (options: RegionalDatabaseOptions) => options.clients },
    // Checked before anything that connects is built: every connecting provider depends on it.
    { provide: REGIONAL_DATABASE_SETTINGS, inject: [REGIONAL_DATABASE_OPTIONS], useFactory: (options: RegionalDatabaseOptions) => regionalDatabaseSettings(options.settings) },
  ],
  exports: [TOPOLOGY, PRISMA_CLIENTS, REGIONAL_DATABASE_SETTINGS, RedisModule, DatabaseModule, TopologyStateModule, HealthModule, AlertsModule, RouterModule, FailoverModule],
})
export class RegionalDatabaseModule extends ConfigurableModuleClass {}
