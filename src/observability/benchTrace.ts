/**
 * Bench-only tracing of where an event's delivery time goes, by log
 * position: when its append was submitted, when its group's transaction
 * started and committed, when the log feed had it, when a subscription
 * group had executed it and when the group had handed its last frame to the
 * sockets. Off unless the process starts with THRDS_BENCH_TRACE=1 (read
 * once): then `benchTrace` is undefined and every call site costs one
 * property test. The bench reads the marks over IPC (bench/support/serverProbe.ts).
 * Times are `performance.timeOrigin + performance.now()` in ms, which agree
 * across processes on one machine.
 */

export type TraceStage = 'submitted' | 'groupStarted' | 'committed' | 'fed' | 'executed' | 'framesWritten';

export type TraceMarks = Partial<Record<TraceStage, number>>;

/** Positions kept at most: the oldest are forgotten first (a bench phase needs seconds of them). */
const KEPT_POSITIONS = 200_000;

export class BenchTrace {
  private readonly marks = new Map<number, TraceMarks>();

  /** Records `stage` of `position` at `at` (default: now); a stage already marked keeps its first time. */
  mark(position: number, stage: TraceStage, at = traceNow()): void {
    this.marksOf(position)[stage] ??= at;
  }

  /** Records `stage` of `position` at `at`, replacing an earlier mark (the last member's frame). */
  markLast(position: number, stage: TraceStage, at = traceNow()): void {
    this.marksOf(position)[stage] = at;
  }

  private marksOf(position: number): TraceMarks {
    let marks = this.marks.get(position);
    if (!marks) {
      marks = {};
      this.marks.set(position, marks);
      if (this.marks.size > KEPT_POSITIONS) this.marks.delete(this.marks.keys().next().value as number);
    }
    return marks;
  }

  /** The marks of each position asked for (an empty object for one never seen). */
  read(positions: readonly number[]): TraceMarks[] {
    return positions.map((position) => this.marks.get(position) ?? {});
  }
}

export function traceNow(): number {
  return performance.timeOrigin + performance.now();
}

export const benchTrace: BenchTrace | undefined = process.env.THRDS_BENCH_TRACE === '1' ? new BenchTrace() : undefined;
