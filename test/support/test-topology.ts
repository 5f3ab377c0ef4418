// The local topology shared by the e2e suites (brought up once by `npm test`), and the chaos actions on it.
import { join } from 'node:path';
import { loadTopologyFile } from '../../libs/regional-db/src/config/topology.loader';
import type { Topology } from '../../libs/regional-db/src/config/topology.types';
import * as local from '../../tools/topology/local-topology';

export const topologyOptions: local.LocalTopologyOptions = {
  dir: process.env.TEST_TOPOLOGY_DIR ?? join(process.cwd(), '.local/test-topology'),
  portBase: Number(process.env.TEST_TOPOLOGY_PORT_BASE ?? 26000),
  small: false,
  sync: [],
  log: () => undefined,
};

export function testTopology(): Topology {
  return loadTopologyFile(process.env.TOPOLOGY_FILE ?? local.topologyFilePath(topologyOptions));
}

export const chaos = {
  kill: (id: string) => local.killServer(topologyOptions, id),
  freeze: (id: string) => local.freezeServer(topologyOptions, id),
  thaw: (id: string) => local.thawServer(topologyOptions, id),
  stop: (id: string) => local.stopServer(topologyOptions, id),
  start: (id: string) => local.startServer(topologyOptions, id),
  pauseReplay: (id: string) => local.pauseReplay(topologyOptions, id),
  resumeReplay: (id: string) => local.resumeReplay(topologyOptions, id),
};
