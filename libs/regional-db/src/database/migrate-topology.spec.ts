import { describe, expect, it } from '@jest/globals';
import { GroupMigration, describeGroupMigration, migrationExitCode } from './migrate-topology';

const migrated = (group: string): GroupMigration => ({ group, status: 'migrated', endpoint: `${group}-primary (db:5432/app)`, applied: ['1_init'], skipped: [], durationMs: 12 });
const unreachable = (group: string): GroupMigration => ({ group, status: 'unreachable', waitedMs: 60_012, misses: [`${group}-primary: connect ECONNREFUSED 10.0.0.1:5432`] });
const failed = (group: string): GroupMigration => ({ group, status: 'failed', endpoint: `${group}-primary`, error: 'migration 1_init was edited after it was applied (checksum differs)' });

describe('migrationExitCode', () => {
  it('is 0 when every group is migrated', () => {
    expect(migrationExitCode([migrated('us-east'), migrated('global')])).toBe(0);
  });

  it('is 0 when the reachable groups are migrated and one is unreachable: that region stays down alone', () => {
    expect(migrationExitCode([migrated('us-east'), unreachable('eu-west'), migrated('global')])).toBe(0);
  });

  it('is 1 when nothing was reachable', () => {
    expect(migrationExitCode([unreachable('us-east'), unreachable('global')])).toBe(1);
    expect(migrationExitCode([])).toBe(1);
  });

  it('is 1 when a reachable group failed to migrate, whatever the others did', () => {
    expect(migrationExitCode([migrated('us-east'), failed('eu-west')])).toBe(1);
    expect(migrationExitCode([migrated('us-east'), failed('eu-west'), unreachable('global')])).toBe(1);
  });

  it('with requireAll, an unreachable group is 1 too (a job restarted until every group is migrated)', () => {
    expect(migrationExitCode([migrated('us-east'), unreachable('eu-west')], { requireAll: true })).toBe(1);
    expect(migrationExitCode([migrated('us-east'), migrated('eu-west')], { requireAll: true })).toBe(0);
  });
});

describe('describeGroupMigration', () => {
  it('names the unreachable group, the wait in seconds, what to do, and why each server was passed over', () => {
    expect(describeGroupMigration(unreachable('eu-west'))).toBe(
      'eu-west: no writable primary within 60 s; migrate again once it is up (eu-west-primary: connect ECONNREFUSED 10.0.0.1:5432)',
    );
    expect(describeGroupMigration({ group: 'eu-west', status: 'unreachable', waitedMs: 40, misses: [] })).toBe(
      'eu-west: no writable primary within 40 ms; migrate again once it is up',
    );
  });

  it('one line for a migrated and a failed group', () => {
    expect(describeGroupMigration(migrated('us-east'))).toBe('us-east: us-east-primary (db:5432/app) applied 1, already applied 0 [12 ms]');
    expect(describeGroupMigration(failed('eu-west'))).toBe(
      'eu-west: migration failed on eu-west-primary: migration 1_init was edited after it was applied (checksum differs)',
    );
  });
});
