/**
 * The last few round-trip times of one endpoint (probes and lag refreshes, about one a second), whose minimum
 * is the RTT routing compares. A minimum, not an average: on a busy host a reading is the server's time plus
 * however long this process took to notice the answer, so one slow reading says little, while a server that
 * really became slower (or farther) shows it in every reading and moves the minimum within `capacity` of them.
 */
export class RoundTripWindow {
  private readonly samples: Float64Array;
  private next = 0;
  private size = 0;

  constructor(readonly capacity = 5) {
    this.samples = new Float64Array(capacity);
  }

  push(ms: number): void {
    this.samples[this.next] = ms;
    this.next = (this.next + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  /** Null before the first reading. */
  min(): number | null {
    if (this.size === 0) return null;
    let min = Infinity;
    for (let i = 0; i < this.size; i++) if (this.samples[i] < min) min = this.samples[i];
    return min;
  }
}
