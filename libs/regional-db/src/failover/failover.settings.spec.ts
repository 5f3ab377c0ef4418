import { describe, expect, it } from '@jest/globals';
import { resolve } from 'node:path';
import { failoverHistoryFile } from './failover.settings';

describe('failoverHistoryFile', () => {
  it('lives beside the topology file (a local topology folder, removed with it) unless named', () => {
    expect(failoverHistoryFile({ TOPOLOGY_FILE: '.local/topology/topology.json' })).toBe(resolve('.local/topology/failover-history.jsonl'));
    expect(failoverHistoryFile({ TOPOLOGY_FILE: '/etc/app/topology.yaml', FAILOVER_HISTORY_FILE: '/var/lib/app/failovers.jsonl' })).toBe('/var/lib/app/failovers.jsonl');
    expect(failoverHistoryFile({})).toBe(resolve('.local/failover-history.jsonl'));
  });
});
