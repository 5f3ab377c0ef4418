import { DynamicModule, Global, Inject, Module } from '@nestjs/common';
import { loadTopology } from './topology.loader';
import { Topology } from './topology.types';

export const TOPOLOGY = Symbol('TOPOLOGY');
export const InjectTopology = () => Inject(TOPOLOGY);

/** The validated topology, read once at start; a bad one fails start-up with a message naming the key. */
@Global()
@Module({})
export class TopologyModule {
  static forRoot(topology?: Topology): DynamicModule {
    return {
      module: TopologyModule,
      providers: [{ provide: TOPOLOGY, useFactory: () => topology ?? loadTopology(process.env) }],
      exports: [TOPOLOGY],
    };
  }
}
