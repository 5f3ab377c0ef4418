import { describe, expect, it } from '@jest/globals';
import { parseCommandLine, parseDuration, UsageError } from './cli-command';

describe('parseCommandLine', () => {
  it('reads each command with its arguments and options', () => {
    expect(parseCommandLine(['status'])).toEqual({ command: { name: 'status' }, json: false, url: undefined });
    expect(parseCommandLine(['status', '--json', '--url', 'http://api:3000'])).toEqual({ command: { name: 'status' }, json: true, url: 'http://api:3000' });
    expect(parseCommandLine(['switchover', 'us-east', '--to', 'us-east-replica-2']).command).toEqual({ name: 'switchover', group: 'us-east', to: 'us-east-replica-2' });
    expect(parseCommandLine(['failover', 'eu-west']).command).toEqual({ name: 'failover', group: 'eu-west' });
    expect(parseCommandLine(['pause']).command).toEqual({ name: 'pause' });
    expect(parseCommandLine(['pause', 'us-east', '--reason', 'kernel upgrade']).command).toEqual({ name: 'pause', group: 'us-east', reason: 'kernel upgrade' });
    expect(parseCommandLine(['resume', 'us-east']).command).toEqual({ name: 'resume', group: 'us-east' });
    expect(parseCommandLine(['history']).command).toEqual({ name: 'history', limit: 10 });
    expect(parseCommandLine(['history', '--limit', '50']).command).toEqual({ name: 'history', limit: 50 });
    expect(parseCommandLine(['alerts']).command).toEqual({ name: 'alerts' });
    expect(parseCommandLine(['alerts', 'ack', 'a1']).command).toEqual({ name: 'ack', id: 'a1' });
    expect(parseCommandLine(['alerts', 'silence', 'a1', '--for', '2h', '--comment', 'known']).command).toEqual({ name: 'silence', id: 'a1', seconds: 7200, comment: 'known' });
  });

  it('refuses what it cannot run, saying what is wrong', () => {
    const refused = (argv: string[]) => {
      try {
        parseCommandLine(argv);
      } catch (error) {
        expect(error).toBeInstanceOf(UsageError);
        return (error as Error).message;
      }
      throw new Error(`accepted ${argv.join(' ')}`);
    };
    expect(refused([])).toBe('no command given');
    expect(refused(['list'])).toBe('unknown command "list"');
    expect(refused(['switchover'])).toBe('switchover takes 1 argument, got 0');
    expect(refused(['status', 'us-east'])).toBe('status takes 0 arguments, got 1');
    expect(refused(['resume', '--to', 'x'])).toBe('resume takes no --to');
    expect(refused(['history', '--limit', 'ten'])).toMatch(/--limit must be a whole number/);
    expect(refused(['alerts', 'silence', 'a1'])).toMatch(/needs --for/);
    expect(refused(['alerts', 'delete', 'a1'])).toMatch(/alerts takes nothing/);
    expect(refused(['status', '--verbose'])).toMatch(/verbose/);
  });
});

describe('parseDuration', () => {
  it('reads seconds, minutes, hours and days', () => {
    expect([parseDuration('90s'), parseDuration('30m'), parseDuration('2h'), parseDuration('1d')]).toEqual([90, 1800, 7200, 86_400]);
    expect(() => parseDuration('1.5h')).toThrow(/like 30m/);
    expect(() => parseDuration('2 weeks')).toThrow(UsageError);
  });
});
