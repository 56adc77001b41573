/**
 * A mergeable latency histogram: log buckets 1% wide, so client processes
 * can each record millions of samples and the runner merges them exactly
 * enough (±1%) for p50/p99, with the exact min and max kept aside.
 */

const GROWTH = Math.log(1.01);

export interface HistogramData {
  /** [bucket index, count] pairs */
  readonly buckets: readonly (readonly [number, number])[];
  readonly count: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
}

export class Histogram {
  private readonly counts = new Map<number, number>();
  count = 0;
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;

  /** Records a sample in milliseconds (negative clock skew is clamped to 0). */
  record(ms: number): void {
    const value = ms > 0 ? ms : 0;
    const index = Math.floor(Math.log1p(value * 1000) / GROWTH);
    this.counts.set(index, (this.counts.get(index) ?? 0) + 1);
    this.count++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }

  merge(data: HistogramData): void {
    for (const [index, n] of data.buckets) this.counts.set(index, (this.counts.get(index) ?? 0) + n);
    this.count += data.count;
    this.sum += data.sum;
    if (data.count > 0) {
      this.min = Math.min(this.min, data.min);
      this.max = Math.max(this.max, data.max);
    }
  }

  /** The q-quantile in ms (q in 0..1), NaN when empty. */
  quantile(q: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil(q * this.count));
    const sorted = [...this.counts.entries()].sort((a, b) => a[0] - b[0]);
    let seen = 0;
    for (const [index, n] of sorted) {
      seen += n;
      if (seen >= rank) {
        const upper = Math.expm1((index + 1) * GROWTH) / 1000;
        return Math.min(Math.max(upper, this.min), this.max);
      }
    }
    return this.max;
  }

  mean(): number {
    return this.count === 0 ? Number.NaN : this.sum / this.count;
  }

  toJSON(): HistogramData {
    return { buckets: [...this.counts.entries()], count: this.count, sum: this.sum, min: this.min, max: this.max };
  }

  static from(parts: readonly HistogramData[]): Histogram {
    const h = new Histogram();
    for (const part of parts) h.merge(part);
    return h;
  }
}

/** A wall clock in ms with sub-ms resolution that agrees across processes on one machine. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}
