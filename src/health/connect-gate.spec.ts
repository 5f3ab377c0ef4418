import { describe, expect, it } from '@jest/globals';
import { ConnectGate } from './connect-gate';

describe('ConnectGate', () => {
  it('opens at most its limit at once, in the order asked, and goes on after failures', async () => {
    const gate = new ConnectGate(3);
    let open = 0;
    let most = 0;
    const order: number[] = [];
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        gate.run(async () => {
          order.push(i);
          most = Math.max(most, ++open);
          await new Promise((r) => setTimeout(r, 1 + (i % 3)));
          open--;
          if (i % 5 === 0) throw new Error(`refused ${i}`);
          return i;
        }),
      ),
    );
    expect(most).toBe(3);
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(4);
    expect(await gate.run(async () => 'still open')).toBe('still open');
  });
});
