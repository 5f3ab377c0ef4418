import { DynamicModule, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  DatabaseAdminModule,
  MetricsModule,
  ProbesModule,
  RegionalDatabaseModule,
  RequestContextModule,
  Topology,
} from '@regional-db/nestjs';
import type { DestinationStream } from 'pino';
import { AuditInterceptor } from './audit/audit.interceptor';
import { AuditTrailGuard } from './audit/audit-trail.guard';
import { JwtAuthGuard } from './auth/jwt-auth.guard';
import { MutationRateLimitGuard } from './auth/mutation-rate-limit.guard';
import { RolesGuard } from './auth/roles.guard';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { AppConfig, CONFIGURED_TOPOLOGY, environmentOf, SettingsModule } from './config/settings.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { APP_PRISMA_CLIENTS } from './app-prisma-clients';
import { GeoModule } from './geo/geo.module';
import { LoggingModule } from './logging/logging.module';
import { PostsModule } from './posts/posts.module';
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
          inject: [CONFIGURED_TOPOLOGY, ConfigService],
          useFactory: (topology: Topology, config: AppConfig) => ({ topology, clients: APP_PRISMA_CLIENTS, settings: environmentOf(config) }),
        }),
        // The pieces the router library leaves to the application: all of them, here.
        RequestContextModule,
        ProbesModule,
        DatabaseAdminModule.forRoot({
          access: {
            read: [JwtAuthGuard, RolesGuard],
            // Order matters: the audit guard needs the subject (after JwtAuthGuard) and must see the refusals after it.
            mutation: [JwtAuthGuard, AuditTrailGuard, RolesGuard, MutationRateLimitGuard],
            mutationInterceptors: [AuditInterceptor],
          },
        }),
        AuthModule,
        ThrottleModule,
        AuditModule,
        UsersModule,
        PostsModule,
        GeoModule,
        MetricsModule,
        DashboardModule,
      ],
      // The read-your-writes token on responses: configureApp (app.setup.ts), not a global interceptor.
    };
  }
}
