import { Global, Module } from '@nestjs/common';
import { TopologyStateService } from './topology-state.service';

@Global()
@Module({ providers: [TopologyStateService], exports: [TopologyStateService] })
export class TopologyStateModule {}
