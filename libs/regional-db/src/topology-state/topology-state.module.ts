import { Global, Module } from '@nestjs/common';
import { SharedTopologyState } from './shared-topology-state';
import { TopologyStateService } from './topology-state.service';

@Global()
@Module({ providers: [TopologyStateService, SharedTopologyState], exports: [TopologyStateService, SharedTopologyState] })
export class TopologyStateModule {}
