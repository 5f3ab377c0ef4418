import { describe, expect, it } from '@jest/globals';
import { haversineKm } from './geo';

describe('haversineKm', () => {
  it('is zero for one place and symmetric', () => {
    const dublin = { lat: 53.3, lon: -6.3 };
    const virginia = { lat: 38.9, lon: -77.4 };
    expect(haversineKm(dublin, dublin)).toBe(0);
    expect(haversineKm(dublin, virginia)).toBeCloseTo(haversineKm(virginia, dublin), 6);
  });

  it('matches known great-circle distances within 1 %', () => {
    // Dublin - Northern Virginia about 5,480 km; Northern Virginia - Singapore about 15,540 km.
    expect(haversineKm({ lat: 53.3, lon: -6.3 }, { lat: 38.9, lon: -77.4 })).toBeGreaterThan(5420);
    expect(haversineKm({ lat: 53.3, lon: -6.3 }, { lat: 38.9, lon: -77.4 })).toBeLessThan(5540);
    expect(haversineKm({ lat: 38.9, lon: -77.4 }, { lat: 1.35, lon: 103.8 })).toBeGreaterThan(15380);
    expect(haversineKm({ lat: 38.9, lon: -77.4 }, { lat: 1.35, lon: 103.8 })).toBeLessThan(15700);
  });
});
