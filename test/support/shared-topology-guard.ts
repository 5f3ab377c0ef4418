// Around every e2e suite: the shared topology as `up` left it. A suite that leaves a server stopped, frozen or
// paused (or a server that died on its own) would otherwise fail whichever suite happens to run next: the
// repair is printed, naming the suite after which it was found, and the next suite starts from a whole topology.
import { afterAll, beforeAll, expect } from '@jest/globals';
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { restore } from '../../tools/topology/local-topology';
import { topologyPaths } from '../../tools/topology/options';
import { topologyOptions } from './test-topology';

async function restoreSharedTopology(when: string): Promise<void> {
  if (!existsSync(topologyPaths(topologyOptions.dir!).state)) return; // jest run without `npm test`: no shared topology
  const suite = relative(process.cwd(), expect.getState().testPath ?? 'unknown suite');
  // A thawed replica may turn out paused as well: until a look finds nothing to repair.
  for (let look = 0; look < 3; look++) {
    const repairs = await restore(topologyOptions);
    if (!repairs.length) return;
    console.warn(`shared topology ${when} ${suite}:\n${repairs.join('\n')}`);
  }
}

beforeAll(() => restoreSharedTopology('before'), 120_000);
afterAll(() => restoreSharedTopology('after'), 120_000);
