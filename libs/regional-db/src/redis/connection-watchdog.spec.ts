import { describe, expect, it } from '@jest/globals';
import { connectionRemedy, STALLED_ATTEMPT_MS } from './connection-watchdog';

describe('connectionRemedy', () => {
  it('leaves a ready connection and a scheduled reconnection alone', () => {
    expect(connectionRemedy('ready', 60_000)).toBe('wait');
    expect(connectionRemedy('reconnecting', 60_000)).toBe('wait');
    expect(connectionRemedy('close', 60_000)).toBe('wait');
  });

  it('connects again a client that gave up', () => {
    expect(connectionRemedy('end', 0)).toBe('connect');
  });

  it('gives an attempt time, then restarts it once it is stuck', () => {
    for (const status of ['connecting', 'connect']) {
      expect(connectionRemedy(status, STALLED_ATTEMPT_MS - 1)).toBe('wait');
      expect(connectionRemedy(status, STALLED_ATTEMPT_MS)).toBe('restart');
    }
  });
});
