// What every check is given.
import * as local from '../../tools/topology/local-topology';
import type { ChaosOptions } from './options';
import type { Progress } from './progress';
import type { CheckRecorder } from './report';
import type { ServiceClient } from './service-client';

export interface ChaosContext {
  service: ServiceClient;
  topology: local.TopologyOptionsInput;
  progress: Progress;
  options: ChaosOptions;
}

/** Breaks something, records findings and timings in `rec`, and registers how to put things back. */
export type Check = (ctx: ChaosContext, rec: CheckRecorder) => Promise<void>;
