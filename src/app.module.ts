import { DynamicModule, Module } from '@nestjs/common';
import { TopologyModule } from './config/topology.module';
import { Topology } from './config/topology.types';
import { DatabaseModule } from './database/database.module';
import { RedisModule } from './redis/redis.module';
import { TopologyStateModule } from './topology-state/topology-state.module';

export interface AppOptions {
  /** A topology to use instead of reading TOPOLOGY_FILE / DB_* variables (tests). */
  topology?: Topology;
}

@Module({})
export class AppModule {
  static forRoot(options: AppOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TopologyModule.forRoot(options.topology),
        RedisModule,
        DatabaseModule,
        TopologyStateModule,
      ],
    };
  }
}
