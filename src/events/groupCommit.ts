/**
 * Group commit: requests that arrive while a transaction is running wait,
 * then go together into the next one, so concurrent writers share one
 * counter-row lock and one fsync. `commit` returns one outcome per request
 * (a refusal for one request does not fail the others). When the group's
 * transaction itself fails, each request is retried alone, so one request
 * that breaks a constraint cannot take its neighbours down with it.
 *
 * Up to `maxInFlight` groups may be under way at once. They still take the
 * counter row one after the other, but a group can take it while the one
 * before waits for its fsync (InnoDB releases row locks at commit and
 * flushes the redo log after), so the disk's latency overlaps with work.
 */
export type BatchCommit<Req, Res> = (batch: readonly Req[]) => Promise<ReadonlyArray<Res | Error>>;

interface Waiting<Req, Res> {
  readonly request: Req;
  readonly resolve: (result: Res) => void;
  readonly reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  readonly maxBatch?: number;
  readonly maxInFlight?: number;
}

export class GroupCommitter<Req, Res> {
  private queue: Waiting<Req, Res>[] = [];
  private inFlight = 0;
  private scheduled = false;
  private idle: Array<() => void> = [];
  private readonly maxBatch: number;
  private readonly maxInFlight: number;

  constructor(
    private readonly commit: BatchCommit<Req, Res>,
    options: GroupCommitOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 500;
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 1);
  }

  submit(request: Req): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves when everything submitted so far has settled. */
  drain(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0 && !this.scheduled) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /**
   * Launches groups on the next turn of the event loop, not at once: a store
   * whose commit blocks the thread (SQLite's fsync) would otherwise start the
   * next group before the requests that arrived meanwhile were even read.
   */
  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      while (this.inFlight < this.maxInFlight && this.queue.length > 0) void this.launch(this.queue.splice(0, this.maxBatch));
      this.settleIdle();
    });
  }

  private async launch(batch: Waiting<Req, Res>[]): Promise<void> {
    this.inFlight += 1;
    try {
      await this.commitGroup(batch);
    } finally {
      this.inFlight -= 1;
      if (this.queue.length > 0) this.schedule();
      this.settleIdle();
    }
  }

  private async commitGroup(batch: Waiting<Req, Res>[]): Promise<void> {
    try {
      settle(batch, await this.commit(batch.map((w) => w.request)));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      for (const waiting of batch) {
        try {
          settle([waiting], await this.commit([waiting.request]));
        } catch (alone) {
          waiting.reject(alone);
        }
      }
    }
  }

  private settleIdle(): void {
    if (this.queue.length > 0 || this.inFlight > 0 || this.scheduled) return;
    const waiting = this.idle;
    this.idle = [];
    for (const resolve of waiting) resolve();
  }
}

function settle<Req, Res>(batch: readonly Waiting<Req, Res>[], outcomes: ReadonlyArray<Res | Error>): void {
  batch.forEach((waiting, i) => {
    const outcome = outcomes[i];
    if (outcome instanceof Error) waiting.reject(outcome);
    else if (outcome === undefined) waiting.reject(new Error('group commit returned no outcome'));
    else waiting.resolve(outcome);
  });
}
