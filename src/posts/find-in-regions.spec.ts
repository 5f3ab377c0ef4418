import { describe, expect, it } from '@jest/globals';
import { findInRegions } from './find-in-regions';

const REGIONS = ['us-east', 'eu-west', 'asia-pacific'];
const down = (region: string) => new Error(`no endpoint in ${region}`);

describe('findInRegions', () => {
  it('asks only the first region when it has the row', async () => {
    const asked: string[] = [];
    const found = await findInRegions(REGIONS, async (r) => (asked.push(r), r === 'us-east' ? 'post' : null));
    expect(found).toEqual({ region: 'us-east', row: 'post' });
    expect(asked).toEqual(['us-east']);
  });

  it('finds a row homed elsewhere while the first region is down', async () => {
    const found = await findInRegions(REGIONS, async (r) => {
      if (r === 'us-east') throw down(r);
      return r === 'eu-west' ? 'post' : null;
    });
    expect(found).toEqual({ region: 'eu-west', row: 'post' });
  });

  it('treats a lookup that throws at once like one that rejects', async () => {
    const found = await findInRegions(REGIONS, (r) => {
      if (r === 'us-east') throw down(r);
      return Promise.resolve(r === 'asia-pacific' ? 'post' : null);
    });
    expect(found).toEqual({ region: 'asia-pacific', row: 'post' });
  });

  it('ignores another region failing when one has the row', async () => {
    const found = await findInRegions(REGIONS, async (r) => {
      if (r === 'asia-pacific') throw down(r);
      return r === 'eu-west' ? 'post' : null;
    });
    expect(found).toEqual({ region: 'eu-west', row: 'post' });
  });

  it('is null only when every region answered without it', async () => {
    expect(await findInRegions(REGIONS, async () => null)).toBeNull();
  });

  it('throws the failure, not "not found", when a region that could hold it did not answer', async () => {
    await expect(findInRegions(REGIONS, async (r) => {
      if (r === 'us-east') throw down(r);
      return null;
    })).rejects.toThrow('no endpoint in us-east');
  });
});
