// `npm run topology -- restore` (and the guard every e2e suite runs through) on the shared topology: a server
// left stopped, frozen or with its replay paused is found and put back, each repair named.
import { afterAll, describe, expect, it } from '@jest/globals';
import * as local from '../tools/topology/local-topology';
import { runScript } from './support/cli';
import { chaos, topologyOptions } from './support/test-topology';

const STOPPED = 'us-east-replica-2';
const FROZEN = 'eu-west-replica-1';
const PAUSED = 'global-replica-1';

describe('restoring the shared topology after a drill', () => {
  afterAll(async () => {
    await local.restore(topologyOptions); // whatever a failed expectation left
  });

  it('starts the stopped server, thaws the frozen one, resumes paused replay, and names each; then has nothing to do', async () => {
    await chaos.stop(STOPPED);
    await chaos.pauseReplay(PAUSED);
    await chaos.freeze(FROZEN);
    const target = ['--dir', topologyOptions.dir!, '--port-base', String(topologyOptions.portBase)];

    const run = await runScript('scripts/topology.ts', ['restore', ...target]);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(new RegExp(`^${STOPPED} was down: started\\n--- last lines of \\S+ before ---\\n`, 'm'));
    expect(run.stdout).toMatch(new RegExp(`^${FROZEN} was frozen: thawed$`, 'm'));
    expect(run.stdout).toMatch(new RegExp(`^${PAUSED} had its replay paused: resumed$`, 'm'));

    const status = await local.status(topologyOptions);
    expect(status.filter((s) => !s.running || s.frozen).map((s) => s.id)).toEqual([]);
    expect(await local.restore(topologyOptions)).toEqual([]);
    expect((await runScript('scripts/topology.ts', ['restore', ...target])).stdout.trim()).toBe('nothing to restore: every server runs');
  });
});
