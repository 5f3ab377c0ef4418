// What a check found, and the final report.
import type { CheckName } from './options';

export interface Finding {
  ok: boolean;
  text: string;
}

export interface CheckResult {
  name: CheckName;
  title: string;
  passed: boolean;
  durationMs: number;
  findings: Finding[];
  /** Named durations (detection, promotion, first write, recovery...); null: did not happen in time. */
  timings: { label: string; ms: number | null }[];
  /** What was put back after the check. */
  restored: Finding[];
  /** A step that could not be carried out at all. */
  error: string | null;
}

/** Collects one check's findings as it runs; `restore` actions run at the end whatever happened. */
export class CheckRecorder {
  readonly findings: Finding[] = [];
  readonly timings: { label: string; ms: number | null }[] = [];
  readonly restored: Finding[] = [];
  private readonly restores: { label: string; run: () => Promise<string | void> }[] = [];
  title: string;

  constructor(readonly name: CheckName) {
    this.title = name;
  }

  /** Records a finding; returns `ok` so a check can stop when a precondition fails. */
  expect(ok: boolean, text: string): boolean {
    this.findings.push({ ok, text });
    return ok;
  }

  timing(label: string, ms: number | null): void {
    this.timings.push({ label, ms: ms === null ? null : Math.round(ms) });
  }

  /**
   * Registers how to put back what the check is about to break; `run` may say what it did. Whatever the check
   * has not restored itself (`restore`) is restored at the end, last registered first.
   */
  onRestore(label: string, run: () => Promise<string | void>): void {
    this.restores.unshift({ label, run });
  }

  /** Restores `label` now (a step of the check); throws when that fails. */
  async restore(label: string): Promise<void> {
    const index = this.restores.findIndex((r) => r.label === label);
    if (index < 0) throw new Error(`nothing to restore as "${label}"`);
    const [restore] = this.restores.splice(index, 1);
    await this.runOne(restore, true);
  }

  async runRestores(): Promise<void> {
    for (const restore of this.restores.splice(0)) await this.runOne(restore, false);
  }

  private async runOne(restore: { label: string; run: () => Promise<string | void> }, rethrow: boolean): Promise<void> {
    try {
      const what = await restore.run();
      this.restored.push({ ok: true, text: what ? `${restore.label}: ${what}` : restore.label });
    } catch (error) {
      this.restored.push({ ok: false, text: `${restore.label}: ${(error as Error).message}` });
      if (rethrow) throw error;
    }
  }

  result(durationMs: number, error: string | null): CheckResult {
    const passed = error === null && this.findings.length > 0 && this.findings.every((f) => f.ok) && this.restored.every((r) => r.ok);
    return { name: this.name, title: this.title, passed, durationMs, findings: this.findings, timings: this.timings, restored: this.restored, error };
  }
}

const seconds = (ms: number) => (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(2)} s`);

export function formatReport(results: readonly CheckResult[], context: { url: string; topologyDir: string }): string {
  const lines = ['', `Chaos report: service ${context.url}, topology ${context.topologyDir}`, ''];
  const width = Math.max(...results.map((r) => r.name.length));
  for (const r of results) {
    lines.push(`${r.passed ? 'PASS' : 'FAIL'}  ${r.name.padEnd(width)}  ${seconds(r.durationMs).padStart(9)}  ${r.title}`);
    for (const f of r.findings) lines.push(`        ${f.ok ? '✓' : '✗'} ${f.text}`);
    if (r.error) lines.push(`        ✗ error: ${r.error}`);
    if (r.timings.length) lines.push(`        timings: ${r.timings.map((t) => `${t.label} ${t.ms === null ? 'n/a' : seconds(t.ms)}`).join(' · ')}`);
    for (const x of r.restored) lines.push(`        ${x.ok ? 'restored' : '✗ NOT restored'}: ${x.text}`);
  }
  const passed = results.filter((r) => r.passed).length;
  lines.push('', `${results.length} check${results.length === 1 ? '' : 's'}: ${passed} passed, ${results.length - passed} failed`);
  return lines.join('\n');
}
