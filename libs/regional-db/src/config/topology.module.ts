import { Inject } from '@nestjs/common';

/** The topology the router serves, provided by `RegionalDatabaseModule`. */
export const TOPOLOGY = Symbol('TOPOLOGY');
export const InjectTopology = () => Inject(TOPOLOGY);
