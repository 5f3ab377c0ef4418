/**
 * Looks a row up where it is most likely (the first region) and, when it is not there or that region cannot
 * answer, in all the others at once. A row lives in one region: a region that fails (down, unreachable) only
 * matters when no other region has the row, and then its error is thrown rather than claiming "not found".
 */
export async function findInRegions<T>(
  regions: readonly string[],
  lookup: (region: string) => Promise<T | null>,
): Promise<{ region: string; row: T } | null> {
  const [first, ...others] = regions;
  // async: a lookup that throws at once counts as that region failing, like one that rejects.
  const find = async (region: string) => lookup(region);
  const [near] = await Promise.allSettled([find(first)]);
  if (near.status === 'fulfilled' && near.value !== null) return { region: first, row: near.value };
  const results = await Promise.allSettled(others.map(find));
  const index = results.findIndex((r) => r.status === 'fulfilled' && r.value !== null);
  if (index >= 0) return { region: others[index], row: (results[index] as PromiseFulfilledResult<T>).value };
  const failed = [near, ...results].find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return null;
}
