// Round-trip times between the topology's regions, for the fault proxy's latency model (`up --latency`).
// Ballpark figures of public-cloud regions: Virginia <-> Ireland, Virginia <-> Singapore, Ireland <-> Singapore.

/** RTT between two servers in the same region (one availability zone to another). */
export const IN_REGION_RTT_MS = 1;

/** RTT between two regions, in either direction. */
export const REGION_RTT_MS: Readonly<Record<string, number>> = {
  'us-east|eu-west': 80,
  'us-east|asia-pacific': 150,
  'eu-west|asia-pacific': 120,
};

/** RTT between regions `a` and `b`; an unknown pair of distinct regions gets the longest known one. */
export function regionRttMs(a: string, b: string): number {
  if (a === b) return IN_REGION_RTT_MS;
  return REGION_RTT_MS[`${a}|${b}`] ?? REGION_RTT_MS[`${b}|${a}`] ?? Math.max(...Object.values(REGION_RTT_MS));
}

/** The delay each direction adds: half the round trip. */
export const oneWayDelayMs = (a: string, b: string): number => regionRttMs(a, b) / 2;
