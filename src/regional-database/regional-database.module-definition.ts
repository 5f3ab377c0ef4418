import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { Topology } from '../config/topology.types';
import type { PrismaClientClasses } from '../database/prisma-clients';

export interface RegionalDatabaseOptions {
  /** The regions, their servers and the global database (`loadTopologyFile`, `loadTopology(env)`, or built in code). */
  topology: Topology;
  /** The application's own generated Prisma client classes, one per schema. */
  clients: PrismaClientClasses;
}

export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN: REGIONAL_DATABASE_OPTIONS } = new ConfigurableModuleBuilder<RegionalDatabaseOptions>()
  .setClassMethodName('forRoot')
  .build();
