import { DynamicModule, Module } from '@nestjs/common';
import { AdminModule } from './admin/admin.module';
import { AlertsModule } from './alerts/alerts.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import type { DestinationStream } from 'pino';
import { SettingsModule } from './config/settings.module';
import { Topology } from './config/topology.types';
import { DatabaseModule } from './database/database.module';
import { GeoModule } from './geo/geo.module';
import { FailoverModule } from './failover/failover.module';
import { HealthModule } from './health/health.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { PostsModule } from './posts/posts.module';
import { ProbesModule } from './probes/probes.module';
import { QueryAnalysisModule } from './query-analysis/query-analysis.module';
import { RedisModule } from './redis/redis.module';
import { RouterModule } from './router/router.module';
import { TopologyStateModule } from './topology-state/topology-state.module';
import { UsersModule } from './users/users.module';

export interface AppOptions {
  /** A topology to use instead of reading TOPOLOGY_FILE / DB_* variables (tests). */
  topology?: Topology;
  /** Where the JSON log lines go instead of stdout (a log-capture test). */
  logDestination?: DestinationStream;
}

@Module({})
export class AppModule {
  /** Resolves once the settings and the topology are checked: a bad one rejects here, before any provider exists. */
  static async forRoot(options: AppOptions = {}): Promise<DynamicModule> {
    const settings = await SettingsModule.forRoot({ topology: options.topology });
    return {
      module: AppModule,
      imports: [
        settings,
        LoggingModule.forRoot({ destination: options.logDestination }),
        RedisModule,
        DatabaseModule,
        TopologyStateModule,
        HealthModule,
        AlertsModule,
        ProbesModule,
        AdminModule,
        RouterModule,
        FailoverModule,
        QueryAnalysisModule,
        AuthModule,
        AuditModule,
        UsersModule,
        PostsModule,
        GeoModule,
        MetricsModule,
        DashboardModule,
      ],
    };
  }
}
