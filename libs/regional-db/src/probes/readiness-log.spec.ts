import { describe, expect, it } from '@jest/globals';
import type { ReadinessReport } from './group-readiness';
import { describeReadiness } from './readiness-log';

const report = (status: ReadinessReport['status'], groups: Record<string, 'writable' | 'read-only' | 'lost'>, reason?: string): ReadinessReport => ({
  status,
  ...(reason ? { reason } : {}),
  impaired: Object.keys(groups).filter((g) => groups[g] !== 'writable'),
  groups: Object.fromEntries(Object.entries(groups).map(([name, s]) => [name, { status: s, primary: `${name}-primary`, readReplicas: [], endpoints: {} }])),
});

describe('describeReadiness', () => {
  it('says ready or unready and names each impaired group with its status', () => {
    expect(describeReadiness(report('ready', { 'us-east': 'writable', 'eu-west': 'writable' }))).toBe('ready; every group writable');
    expect(describeReadiness(report('ready', { 'us-east': 'writable', 'asia-pacific': 'read-only' }))).toBe('ready; asia-pacific read-only');
    expect(describeReadiness(report('unready', { 'us-east': 'lost', 'asia-pacific': 'lost' }, 'every replication group is lost'))).toBe(
      'unready (every replication group is lost); us-east lost, asia-pacific lost',
    );
  });

  it('is the same line for the same state whatever the reasons say, so repeated calls log nothing new', () => {
    const a = report('ready', { 'asia-pacific': 'read-only' });
    const b = { ...a, groups: { 'asia-pacific': { ...a.groups['asia-pacific'], reason: 'asia-pacific-primary has not been probed yet' } } };
    expect(describeReadiness(b)).toBe(describeReadiness(a));
  });
});
