/** A strict reader of the Prometheus text format (0.0.4): what a scraper would accept, as samples. */

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Exposition {
  readonly samples: readonly Sample[];
  readonly types: ReadonlyMap<string, string>;
  /** The value of the one sample named `name` with (at least) these labels; undefined when there is none. */
  value(name: string, labels?: Readonly<Record<string, string>>): number | undefined;
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)(?: \\d+)?$`);
const LABEL = new RegExp(`^(${NAME})="((?:[^"\\\\]|\\\\.)*)"(?:,|$)`);

export function parsePrometheus(text: string): Exposition {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const [i, line] of text.split('\n').entries()) {
    if (line === '') continue;
    if (line.startsWith('# HELP ')) continue;
    if (line.startsWith('# TYPE ')) {
      const [, name, type] = line.split(' ').slice(1);
      if (!name || !['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(type ?? '')) throw new Error(`line ${i + 1}: bad TYPE: ${line}`);
      if (types.has(name)) throw new Error(`line ${i + 1}: ${name} typed twice`);
      types.set(name, type!);
      continue;
    }
    if (line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`line ${i + 1}: not a sample: ${line}`);
    const labels: Record<string, string> = {};
    let rest = match[2] ?? '';
    while (rest !== '') {
      const label = LABEL.exec(rest);
      if (!label) throw new Error(`line ${i + 1}: bad labels: ${line}`);
      labels[label[1]!] = label[2]!.replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c));
      rest = rest.slice(label[0].length);
    }
    // As Prometheus reads them (Go's ParseFloat): Inf and NaN in any case.
    const text = match[3]!.toLowerCase();
    const value = text === '+inf' || text === 'inf' ? Infinity : text === '-inf' ? -Infinity : text === 'nan' ? Number.NaN : Number(text);
    if (Number.isNaN(value) && text !== 'nan') throw new Error(`line ${i + 1}: bad value: ${line}`);
    samples.push({ name: match[1]!, labels, value });
  }
  return {
    samples,
    types,
    value(name, labels = {}) {
      const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
      if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
      return found[0]?.value;
    },
  };
}
