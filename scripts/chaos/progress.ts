// Progress of a chaos run: on a terminal a spinner with the running step and its elapsed time, redrawn in
// place; otherwise (CI, a pipe) one plain line per finished step with the time since the run began.

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export class Progress {
  private readonly started = Date.now();
  private current: { label: string; since: number } | null = null;
  private frame = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly verbose: boolean,
  ) {}

  private get tty(): boolean {
    return Boolean(this.out.isTTY);
  }

  /** Runs one step of `check`, showing it while it runs and how long it took. */
  async step<T>(check: string, label: string, run: () => Promise<T>): Promise<T> {
    const since = Date.now();
    this.current = { label: `${check} · ${label}`, since };
    if (this.tty) this.timer ??= setInterval(() => this.draw(), 100);
    try {
      const result = await run();
      this.finish(`✓ ${check} · ${label} (${seconds(Date.now() - since)})`);
      return result;
    } catch (error) {
      this.finish(`✗ ${check} · ${label} (${seconds(Date.now() - since)}): ${(error as Error).message}`);
      throw error;
    }
  }

  /** A line of detail (`--verbose` only). */
  detail(line: string): void {
    if (this.verbose) this.print(`    ${line}`);
  }

  /** A line shown whatever the verbosity. */
  line(text: string): void {
    this.print(text);
  }

  private finish(text: string): void {
    this.current = null;
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
    this.print(text);
  }

  private print(text: string): void {
    if (this.tty) {
      this.out.write(`\r\x1b[K${text}\n`);
      this.draw();
    } else {
      this.out.write(`[+${seconds(Date.now() - this.started).padStart(9)}] ${text}\n`);
    }
  }

  private draw(): void {
    if (!this.tty || !this.current) return;
    this.frame = (this.frame + 1) % FRAMES.length;
    this.out.write(`\r\x1b[K${FRAMES[this.frame]} ${this.current.label} ${seconds(Date.now() - this.current.since)}`);
  }
}
