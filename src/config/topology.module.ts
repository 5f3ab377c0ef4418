import { Inject } from '@nestjs/common';

/** The validated topology, provided by `SettingsModule`. */
export const TOPOLOGY = Symbol('TOPOLOGY');
export const InjectTopology = () => Inject(TOPOLOGY);
