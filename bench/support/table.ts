/** Number formatting and the plain-text table the runner prints. */
import type { BenchRow } from '../types.ts';

/** 3 significant digits, thousands kept whole: 0.0123, 1.23, 123, 12345. */
export function fmt(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toString();
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  if (abs === 0) return '0';
  return value.toPrecision(3);
}

export function renderTable(rows: readonly BenchRow[]): string {
  const header = ['name', 'value', 'unit', 'baseline', 'ratio', 'note'];
  const cells = rows.map((row) => [
    row.name,
    fmt(row.value),
    row.unit,
    row.baseline ? `${fmt(row.baseline.value)} (${row.baseline.name})` : '',
    row.ratio === undefined ? '' : `${row.ratio.toFixed(2)}×`,
    row.note ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: readonly string[]) => `| ${c.map((v, i) => v.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}
