// The public entry of @regional-db/nestjs: everything an application imports is exported here, nothing else is API.

/**
 * The application's generated Prisma clients, declared once so that `ConnectionRouter` (and `EndpointRegistry`)
 * hand them back typed by its own schemas:
 *
 *   declare module '@regional-db/nestjs' {
 *     interface RegionalDatabaseClients { regional: PrismaClient; global: GlobalPrismaClient }
 *   }
 *
 * Undeclared, clients are `PrismaClientLike`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface RegionalDatabaseClients {}

// The module and its configuration
export { RegionalDatabaseModule } from './regional-database/regional-database.module';
export type { RegionalDatabaseOptions } from './regional-database/regional-database.module-definition';
export { REGIONAL_DATABASE_SETTINGS, REGIONAL_DATABASE_SETTING_NAMES, RegionalDatabaseSettings, regionalDatabaseSettings } from './config/regional-database.settings';
export { Bool, Fraction, Int, RequiredWith, Secret, settingConstraint, settingNames, validateSettings } from './config/settings-schema';
export { InvalidSettingError } from './common/invalid-setting.error';
export { loadTopology, loadTopologyFile, loadTopologyFromEnv } from './config/topology.loader';
export { TopologyConfigError } from './config/topology-config.error';
export { allEndpoints, allGroups } from './config/topology.types';
export type { EndpointConfig, EndpointRole, GeoLocation, PoolSettings, RegionConfig, ReplicationGroupConfig, SslMode, Topology } from './config/topology.types';
export { InjectTopology, TOPOLOGY } from './config/topology.module';
export { describeUrl, redactSecrets, redactUrl } from './config/redact';
export { InjectPrismaClients, PRISMA_CLIENTS } from './database/prisma-clients';
export type { GlobalClient, PrismaClientClass, PrismaClientClasses, PrismaClientLike, RegionalClient } from './database/prisma-clients';
export { describeGroupMigration, migrateGroups, migrateTopology, migrationExitCode } from './database/migrate-topology';
export type { GroupMigration, MigrateGroupsOptions, MigrationFolders } from './database/migrate-topology';
export { hasEnvTopology } from './config/topology.env';

// Routing
export { ConnectionRouter, ConnectionRouterService } from './router/connection-router.service';
export type { EndpointConnectionInfo, GroupClients, ReadOptions, TransactionOptions } from './router/connection-router.service';
export { RouterModule } from './router/router.module';
export { attachConsistencyToken, ConsistencyTokenInterceptor } from './router/consistency-token.interceptor';
export { NoEndpointError, SchemaNotMigratedError } from './router/no-endpoint.error';
export { UnknownRegionError } from './router/unknown-region.error';
export { RequestContextModule } from './request-context/request-context.module';
export { currentRequestContext, requestContext } from './request-context/request-context';
export type { RequestContext } from './request-context/request-context';

// State, health, alerts, failover
export { EndpointRegistry } from './database/endpoint-registry';
export type { PoolStats } from './database/endpoint-connection';
export { TopologyStateService } from './topology-state/topology-state.service';
export type { GroupState, PrimaryChange } from './topology-state/topology-state.service';
export { DatabaseHealthMonitorService } from './health/database-health-monitor.service';
export { isConnectionError } from './health/connection-errors';
export { AlertService } from './alerts/alert.service';
export { RegionalFailoverService } from './failover/regional-failover.service';
export type { FailoverRecord } from './failover/failover-record';
export { MaintenanceService } from './maintenance/maintenance.service';
export { RedisService } from './redis/redis.service';
export type { Coordination } from './redis/redis.service';
export { FAIL_FAST } from './redis/redis.settings';

// Opt-in pieces: admin API, probes and Terminus indicators, metrics
export { DatabaseAdminModule } from './admin/admin.module';
export { ADMIN_API_ACTION, ADMIN_API_ROLES, AdminCaller, AdminMutation, AdminRead } from './admin/admin-access';
export type { AdminApiAccess } from './admin/admin-access';
export { SystemStatusService } from './admin/system-status.service';
export { StatusFeed } from './admin/status-feed';
export { ProbesModule, RegionalDatabaseHealthModule } from './probes/probes.module';
export { RegionalDatabaseHealthIndicator } from './probes/regional-database.health-indicator';
export { GroupSnapshots } from './probes/group-snapshots';
export { readReplicas } from './probes/group-readiness';
export type { ReadinessReport } from './probes/group-readiness';
export { MetricsModule } from './metrics/metrics.module';

// Small pieces the admin API uses that an application's own controllers may share
export { ErrorResponse, errorResponse } from './common/error-response';
export { NoQuery } from './common/no-query';
export { LimitQuery, LimitQueryDto, parseOffset } from './common/limit';
export { validationPipe } from './common/validation';
export { ConcurrencyLimit } from './common/concurrency-limit';
