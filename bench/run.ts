// npm run bench [-- <name filter>...]: runs every bench/*.bench.ts (`-- --list` or `--help`: what each measures
// and about how long it takes, from its `// Listed as:` line), each a standalone script in its own
// process, and prints one summary of their ratios and timings with the machine's details; the same as JSON in
// bench-results/<timestamp>.json, to compare runs. A bench reports through one final stdout line
// `BENCH_RESULT {"name", "metrics": [{ label, value, unit, baseline?, ratio?, target?, pass? }]}`. Benches that
// read TOPOLOGY_FILE get a local topology of the runner's own (.local/bench-topology, port base BENCH_PORT_BASE,
// default 25900, migrated),
// brought up once, started again between benches (one may have stopped a server) and taken down at the end.
// A bench that fails, misses a target or prints no result is reported as such, and the exit code is 1.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { basename, join } from 'node:path';
import { loadTopologyFile, migrateTopology } from '@regional-db/nestjs';
import { down, LocalTopologyOptions, topologyFilePath, up } from '../tools/topology/local-topology';
import { findPgBinaries } from '../tools/topology/pg-binaries';

interface BenchMetric {
  label: string;
  value: number;
  unit: string;
  baseline?: number;
  ratio?: number;
  target?: number;
  pass?: boolean;
  /** The ratio's spread over the bench's rounds (`ratio` is their median or mean, as the bench says). */
  rounds?: { min: number; median: number; max: number; count: number };
}

interface BenchRun {
  file: string;
  name: string;
  /** passed: exit 0 and every target met; failed: a target missed or a non-zero exit; error: no result line. */
  status: 'passed' | 'failed' | 'error';
  exitCode: number | null;
  durationMs: number;
  metrics: BenchMetric[];
  problem: string | null;
}

const ROOT = process.cwd();
const BENCH_TIMEOUT_MS = 20 * 60_000;
const RESULT_PREFIX = 'BENCH_RESULT ';
const TOPOLOGY: LocalTopologyOptions = { dir: join(ROOT, '.local/bench-topology'), portBase: Number(process.env.BENCH_PORT_BASE ?? 25900), small: false, sync: [], log: () => undefined };

const needsTopology = (source: string) => /\bTOPOLOGY_FILE\b|loadTopology\(process\.env\)/.test(source);

/** The last `BENCH_RESULT` line of `stdout`, checked for shape; a string says what is wrong. */
function parseResult(stdout: string): { name: string; metrics: BenchMetric[] } | string {
  const line = stdout.split('\n').reverse().find((l) => l.startsWith(RESULT_PREFIX));
  if (!line) return `no ${RESULT_PREFIX.trim()} line on stdout`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line.slice(RESULT_PREFIX.length));
  } catch (error) {
    return `${RESULT_PREFIX.trim()} is not JSON: ${(error as Error).message}`;
  }
  const result = parsed as { name?: unknown; metrics?: unknown };
  const valid =
    typeof result.name === 'string' &&
    Array.isArray(result.metrics) &&
    result.metrics.every((m: BenchMetric) => typeof m?.label === 'string' && typeof m.value === 'number' && typeof m.unit === 'string');
  return valid ? (result as { name: string; metrics: BenchMetric[] }) : `${RESULT_PREFIX.trim()} needs { name, metrics: [{ label, value, unit, ... }] }`;
}

/** Runs one bench, its output shown as it comes (indented), and judges it. */
function runBench(file: string, env: NodeJS.ProcessEnv): Promise<BenchRun> {
  const started = Date.now();
  return new Promise((resolve) => {
    // --expose-gc: benches that report retained heap force a collection first.
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', file], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let shown = 0;
    // Whole lines, indented; the result line is for this runner, not for the reader.
    const show = (final = false) => {
      const end = final ? stdout.length : stdout.lastIndexOf('\n') + 1;
      for (const line of stdout.slice(shown, end).split('\n')) if (line && !line.startsWith(RESULT_PREFIX)) process.stdout.write(`  │ ${line}\n`);
      shown = Math.max(shown, end);
    };
    child.stdout.on('data', (chunk: Buffer) => ((stdout += chunk), show()));
    child.stderr.on('data', (chunk: Buffer) => ((stderr += chunk), process.stdout.write(String(chunk).replace(/^(?=.)/gm, '  │ '))));
    const timer = setTimeout(() => child.kill('SIGKILL'), BENCH_TIMEOUT_MS);
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      show(true);
      const result = parseResult(stdout);
      const metrics = typeof result === 'string' ? [] : result.metrics;
      const missed = metrics.filter((m) => m.pass === false).map((m) => m.label);
      const lastError = stderr.trim().split('\n').slice(-3).join(' | ');
      let status: BenchRun['status'] = 'passed';
      let problem: string | null = null;
      if (typeof result === 'string') {
        status = 'error';
        problem = `${result}${exitCode ? ` (exit ${exitCode}${lastError ? `: ${lastError}` : ''})` : signal ? ` (${signal}${signal === 'SIGKILL' ? `, over ${BENCH_TIMEOUT_MS / 60_000} min` : ''})` : ''}`;
      } else if (exitCode !== 0 || missed.length) {
        status = 'failed';
        problem = [exitCode !== 0 ? `exit ${exitCode ?? signal}${lastError ? `: ${lastError}` : ''}` : null, missed.length ? `target missed: ${missed.join('; ')}` : null].filter(Boolean).join('; ');
      }
      const name = typeof result === 'string' ? basename(file, '.bench.ts') : result.name;
      resolve({ file, name, status, exitCode, durationMs: Date.now() - started, metrics, problem });
    });
  });
}

function machine() {
  const cpus = os.cpus();
  let postgresql = 'unknown';
  try {
    postgresql = execFileSync(findPgBinaries().path('postgres'), ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    // no PostgreSQL binaries here: benches that need them report their own failure
  }
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    postgresql,
  };
}

const number = (v: number | undefined, digits = 3) => (v === undefined ? '' : Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(digits + 1))));

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c >= 2 && c <= 6 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd()).join('\n');
}

const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

function summary(runs: BenchRun[], info: ReturnType<typeof machine>, durationMs: number, loadAtStart: string): string {
  const rows = [['bench', 'metric', 'value', 'baseline', 'ratio', 'target', 'rounds min / median / max', 'result']];
  for (const run of runs) {
    if (!run.metrics.length) rows.push([run.name, '-', '', '', '', '', '', run.status.toUpperCase()]);
    for (const m of run.metrics) {
      const verdict = m.pass === undefined ? '' : m.pass ? 'met' : 'MISSED';
      const spread = m.rounds ? `${number(m.rounds.min)} / ${number(m.rounds.median)} / ${number(m.rounds.max)} (${m.rounds.count})` : '';
      rows.push([run.name, m.label, `${number(m.value)} ${m.unit}`, number(m.baseline), number(m.ratio), number(m.target), spread, verdict]);
    }
  }
  const lines = [
    '',
    `Benchmarks: ${info.cpu}, ${info.cores} cores, ${info.memoryGiB} GiB, ${info.os}, Node ${info.node}, ${info.postgresql}`,
    `Load average (1, 5, 15 min): ${loadAtStart} at start, ${loadAverage()} at the end`,
    '',
    table(rows),
    '',
    ...runs.map((r) => `${r.status.toUpperCase().padEnd(6)} ${r.name} (${(r.durationMs / 1000).toFixed(1)} s)${r.problem ? `: ${r.problem}` : ''}`),
    `${runs.length} bench${runs.length === 1 ? '' : 'es'} in ${(durationMs / 1000).toFixed(0)} s: ${runs.filter((r) => r.status === 'passed').length} passed`,
  ];
  return lines.join('\n');
}

const benchFiles = () =>
  readdirSync(join(ROOT, 'bench'))
    .filter((f) => f.endsWith('.bench.ts'))
    .sort();

/** Usage, then each bench's name and `// Listed as:` line (what it measures; about how long it takes). */
export function usage(files: readonly string[], read: (file: string) => string): string {
  const rows = files.map((f) => [basename(f, '.bench.ts'), /^\/\/ Listed as: (.+?)\.?$/m.exec(read(f))?.[1] ?? '(no "// Listed as:" line)']);
  const width = Math.max(...rows.map(([name]) => name.length));
  return [
    'usage: npm run bench [-- <name>...]   run every bench, or those whose file name contains a <name>',
    '       npm run bench -- --list        this list',
    '',
    `Benches (${BENCH_TIMEOUT_MS / 60_000} min limit each; a shared topology on ports ${TOPOLOGY.portBase}+ for those reading TOPOLOGY_FILE, up and down about 1 min more):`,
    ...rows.map(([name, line]) => `  ${name.padEnd(width)}  ${line}`),
    '',
    'Results: a table on stdout and bench-results/<timestamp>.json; exit code 1 if a bench failed or missed a target.',
  ].join('\n');
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.some((a) => ['--list', '--help', '-h'].includes(a))) {
    console.log(usage(benchFiles(), (f) => readFileSync(join(ROOT, 'bench', f), 'utf8')));
    return 0;
  }
  const unknown = args.find((a) => a.startsWith('-'));
  if (unknown) throw new Error(`unknown option ${unknown} (npm run bench -- --list shows the usage)`);
  const filters = args;
  const files = benchFiles()
    .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
    .map((f) => join('bench', f));
  if (!files.length) throw new Error(`no bench/*.bench.ts${filters.length ? ` matching ${filters.join(', ')}` : ''} (npm run bench -- --list shows them)`);
  const startedAt = new Date();
  const loadAtStart = loadAverage();
  const info = machine();
  const withTopology = files.filter((f) => needsTopology(readFileSync(join(ROOT, f), 'utf8')));
  const env: NodeJS.ProcessEnv = { ...process.env, REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/14', REDIS_PREFIX: `bench-${startedAt.getTime()}:` };
  const stop = () => down(TOPOLOGY).catch((error) => console.error(`bench topology down failed: ${error}`));
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  const runs: BenchRun[] = [];
  try {
    if (withTopology.length) {
      console.log(`topology for ${withTopology.map((f) => basename(f)).join(', ')}: ${TOPOLOGY.dir}, port base ${TOPOLOGY.portBase}`);
      await down(TOPOLOGY);
      await up(TOPOLOGY);
      env.TOPOLOGY_FILE = topologyFilePath(TOPOLOGY);
      await migrateTopology(loadTopologyFile(env.TOPOLOGY_FILE), ROOT, () => undefined);
    }
    for (const file of files) {
      const topology = withTopology.includes(file);
      if (topology && runs.length) await up(TOPOLOGY); // idempotent: restarts whatever an earlier bench left stopped
      console.log(`\n▶ ${file}${topology ? ' (on the bench topology)' : ''}`);
      runs.push(await runBench(file, topology ? env : { ...env, TOPOLOGY_FILE: undefined }));
    }
  } finally {
    if (withTopology.length) await stop();
  }
  const finishedAt = new Date();
  console.log(summary(runs, info, finishedAt.getTime() - startedAt.getTime(), loadAtStart));
  const out = join(ROOT, 'bench-results', `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  mkdirSync(join(ROOT, 'bench-results'), { recursive: true });
  const report = { startedAt: startedAt.toISOString(), finishedAt: finishedAt.toISOString(), machine: { ...info, loadAverage: { start: loadAtStart, end: loadAverage() } }, topology: withTopology.length ? { dir: TOPOLOGY.dir, portBase: TOPOLOGY.portBase } : null, benches: runs };
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`written to ${out}`);
  return runs.every((r) => r.status === 'passed') ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
