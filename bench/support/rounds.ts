// Side-by-side throughput in interleaved rounds: every round runs each contender once, in an order that rotates
// from round to round, so drift of the machine and the advantage of a position in the round cancel out. A
// contender's ratio is taken per round (against the baseline of the same round); its median is the figure, the
// min and max show the spread.

export interface RatioSpread {
  /** Median throughput over the rounds. */
  qps: number;
  /** Per-round throughput over the baseline's of the same round: median, min, max. */
  ratio: number;
  min: number;
  max: number;
  count: number;
}

export type Drive = (name: string) => Promise<number>;

/** Runs `warmup` rounds unmeasured, then `rounds` measured; `drive(name)` returns that contender's throughput. */
export async function interleaved(names: readonly string[], baseline: string, rounds: number, drive: Drive, warmup = 1): Promise<Record<string, RatioSpread>> {
  const samples = new Map(names.map((n) => [n, [] as number[]]));
  const ratios = new Map(names.map((n) => [n, [] as number[]]));
  for (let round = -warmup; round < rounds; round++) {
    const offset = ((round % names.length) + names.length) % names.length;
    const order = names.map((_, i) => names[(i + offset) % names.length]);
    const qps = new Map<string, number>();
    for (const name of order) qps.set(name, await drive(name));
    if (round < 0) continue;
    for (const name of names) {
      samples.get(name)!.push(qps.get(name)!);
      ratios.get(name)!.push(qps.get(name)! / qps.get(baseline)!);
    }
  }
  return Object.fromEntries(
    names.map((name) => {
      const r = [...ratios.get(name)!].sort((a, b) => a - b);
      return [name, { qps: median(samples.get(name)!), ratio: median(r), min: r[0], max: r[r.length - 1], count: r.length }];
    }),
  );
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A bench metric for `candidate` against `base`, with the spread `npm run bench` prints. */
export function ratioMetric(label: string, candidate: RatioSpread, base: RatioSpread, target?: number) {
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return {
    label,
    value: Math.round(candidate.qps),
    unit: 'q/s',
    baseline: Math.round(base.qps),
    ratio: round(candidate.ratio),
    ...(target === undefined ? {} : { target, pass: candidate.ratio >= target }),
    rounds: { min: round(candidate.min), median: round(candidate.ratio), max: round(candidate.max), count: candidate.count },
  };
}
