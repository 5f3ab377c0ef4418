/**
 * At most `limit` connections being opened at once, first come first served: a cold start of a thousand
 * endpoints opens them in waves instead of a thousand SCRAM handshakes at once, each of which would then take
 * longer than any timeout. Only opening waits here; probes on open connections never do.
 */
export class ConnectGate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(open: () => Promise<T>): Promise<T> {
    if (this.active < this.limit) this.active++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve)); // the slot is handed over, not released
    try {
      return await open();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
