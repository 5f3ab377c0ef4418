import { DynamicModule, Module } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import { AdminModule } from './admin/admin.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CONFIGURED_TOPOLOGY, SettingsModule } from './config/settings.module';
import { Topology } from './config/topology.types';
import { DashboardModule } from './dashboard/dashboard.module';
import { APP_PRISMA_CLIENTS } from './database/prisma-clients';
import { GeoModule } from './geo/geo.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { PostsModule } from './posts/posts.module';
import { ProbesModule } from './probes/probes.module';
import { QueryAnalysisModule } from './query-analysis/query-analysis.module';
import { RegionalDatabaseModule } from './regional-database/regional-database.module';
import { RequestContextModule } from './request-context/request-context.module';
import { ThrottleModule } from './throttle/throttle.module';
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
        RegionalDatabaseModule.forRootAsync({
          inject: [CONFIGURED_TOPOLOGY],
          useFactory: (topology: Topology) => ({ topology, clients: APP_PRISMA_CLIENTS }),
        }),
        // The pieces the router library leaves to the application: all of them, here.
        RequestContextModule,
        ProbesModule,
        AdminModule,
        QueryAnalysisModule,
        AuthModule,
        ThrottleModule,
        AuditModule,
        UsersModule,
        PostsModule,
        GeoModule,
        MetricsModule,
        DashboardModule,
      ],
      // The read-your-writes token on responses: configureApp (app.setup.ts), no interceptor.
    };
  }
}
