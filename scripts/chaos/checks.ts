// The checks by name (see each file under checks/).
import type { Check } from './context';
import { healthCheck } from './checks/health-check';
import { losePrimary } from './checks/lose-primary';
import { manualFailover } from './checks/manual-failover';
import { highLoad } from './checks/high-load';
import { regionOutage } from './checks/region-outage';
import { replicaLag } from './checks/replica-lag';
import { simulatedFailure } from './checks/simulated-failure';
import type { CheckName } from './options';

export const CHECKS: Record<CheckName, Check> = {
  'health-check': healthCheck,
  'simulated-failure': simulatedFailure,
  'manual-failover': manualFailover,
  'primary-failure': (ctx, rec) => losePrimary(ctx, rec, 'kill'),
  'network-partition': (ctx, rec) => losePrimary(ctx, rec, 'freeze'),
  'replica-lag': replicaLag,
  'high-load': highLoad,
  'region-outage': regionOutage,
};
