import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { Topology } from '../config/topology.types';
import type { PrismaClientClasses } from '../database/prisma-clients';
import type { RegionalDatabaseSettings } from '../config/regional-database.settings';

export interface RegionalDatabaseOptions {
  /** The regions, their servers and the global database (`loadTopologyFile`, `loadTopology(env)`, or built in code). */
  topology: Topology;
  /** The application's own generated Prisma client classes, one per schema. */
  clients: PrismaClientClasses;
  /**
   * The library's settings by name (`RegionalDatabaseSettings`: `REDIS_URL`, `HEALTH_PROBE_TIMEOUT_MS`, ...), as
   * strings from an environment or typed values; unset ones take their defaults. Checked once at start: a bad
   * value is an `InvalidSettingError` naming it, before any connection.
   */
  settings?: Partial<Record<keyof RegionalDatabaseSettings, unknown>>;
}

export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN: REGIONAL_DATABASE_OPTIONS } = new ConfigurableModuleBuilder<RegionalDatabaseOptions>()
  .setClassMethodName('forRoot')
  .build();
