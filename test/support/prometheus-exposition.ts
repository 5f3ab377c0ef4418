// A strict reader of Prometheus' text exposition format (0.0.4): every line must be a HELP, TYPE or comment
// line, or a well-formed sample of a family declared by a TYPE line before it. Anything else throws.

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  help: string | null;
  type: MetricType;
  samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"\s*(,|$)/y;
// Prometheus reads values with Go's ParseFloat, which ignores case in NaN and Inf: prom-client writes an empty
// event-loop histogram's mean as `Nan` (an instance scraped before its first sample).
const VALUE = /^(nan|[+-]?inf|[-+]?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?)$/i;
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: (-?\d+))?$/;
const SUFFIXES: Record<MetricType, string[]> = { counter: [''], gauge: [''], untyped: [''], histogram: ['_bucket', '_sum', '_count'], summary: ['', '_sum', '_count'] };

export function parseExposition(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const help = new Map<string, string>();
  text.split('\n').forEach((line, index) => {
    const fail = (why: string): never => {
      throw new Error(`line ${index + 1}: ${why}: ${JSON.stringify(line)}`);
    };
    if (line === '') return;
    if (line.startsWith('# HELP ')) {
      const [, name, doc] = /^# HELP (\S+) (.*)$/.exec(line) ?? fail('malformed HELP');
      if (!METRIC_NAME.test(name)) fail('bad metric name');
      if (help.has(name)) fail('second HELP');
      help.set(name, doc);
      return;
    }
    if (line.startsWith('# TYPE ')) {
      const [, name, type] = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line) ?? fail('malformed TYPE');
      if (!METRIC_NAME.test(name)) fail('bad metric name');
      if (families.has(name)) fail('second TYPE');
      families.set(name, { name, help: help.get(name) ?? null, type: type as MetricType, samples: [] });
      return;
    }
    if (line.startsWith('#')) return;
    const [, name, labelText, rawValue] = SAMPLE.exec(line) ?? fail('malformed sample');
    if (!VALUE.test(rawValue)) fail('bad value');
    const family = [...families.values()].find((f) => SUFFIXES[f.type].some((suffix) => f.name + suffix === name)) ?? fail('sample of no declared family');
    const labels = parseLabels(labelText ?? '', fail);
    if (family.type === 'histogram' && name.endsWith('_bucket') && labels.le === undefined) fail('bucket without le');
    family.samples.push({ name, labels, value: Number(rawValue.replace('Inf', 'Infinity')) });
  });
  return families;
}

function parseLabels(text: string, fail: (why: string) => never): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const match = LABEL.exec(text) ?? fail('bad label syntax');
    if (match[1] in labels) fail(`label ${match[1]} twice`);
    labels[match[1]] = match[2].replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
    if (match[3] === '' && LABEL.lastIndex < text.length) fail('label without separating comma');
  }
  return labels;
}

/** The samples of `name` (a sample name, e.g. `x_bucket`) whose labels include `labels`. */
export function samples(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): Sample[] {
  return [...families.values()]
    .flatMap((f) => f.samples)
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

/** The one sample's value; throws when there is none or several. */
export function value(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number {
  const found = samples(families, name, labels);
  if (found.length !== 1) throw new Error(`${found.length} samples of ${name}${JSON.stringify(labels)}`);
  return found[0].value;
}

/** Sum over the samples of `name` whose labels include `labels` (0 when none). */
export function sum(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number {
  return samples(families, name, labels).reduce((total, s) => total + s.value, 0);
}
