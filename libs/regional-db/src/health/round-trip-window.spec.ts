import { describe, expect, it } from '@jest/globals';
import { RoundTripWindow } from './round-trip-window';

describe('RoundTripWindow', () => {
  it('is unknown before the first reading', () => {
    expect(new RoundTripWindow().min()).toBeNull();
  });

  it('ignores one slow reading (a busy host, a slow probe)', () => {
    const w = new RoundTripWindow(5);
    for (const ms of [0.4, 0.5, 900, 0.6]) w.push(ms);
    expect(w.min()).toBe(0.4);
  });

  it('follows a server that really became slower within `capacity` readings', () => {
    const w = new RoundTripWindow(3);
    for (const ms of [0.4, 0.5, 0.4]) w.push(ms);
    w.push(80);
    w.push(81);
    expect(w.min()).toBe(0.4);
    w.push(82);
    expect(w.min()).toBe(80);
  });
});
