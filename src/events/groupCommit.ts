/**
 * Group commit: requests that arrive while a transaction is running wait,
 * then go together into the next one, so concurrent writers share one
 * counter-row lock and one fsync. `commit` returns one outcome per request
 * (a refusal for one request does not fail the others). When the group's
 * transaction itself fails, each request is retried alone, so one request
 * that breaks a constraint cannot take its neighbours down with it.
 */
export type BatchCommit<Req, Res> = (batch: readonly Req[]) => Promise<ReadonlyArray<Res | Error>>;

interface Waiting<Req, Res> {
  readonly request: Req;
  readonly resolve: (result: Res) => void;
  readonly reject: (error: unknown) => void;
}

export class GroupCommitter<Req, Res> {
  private queue: Waiting<Req, Res>[] = [];
  private running: Promise<void> | undefined;

  constructor(
    private readonly commit: BatchCommit<Req, Res>,
    private readonly maxBatch = 500,
  ) {}

  submit(request: Req): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.running ??= this.run();
    });
  }

  /** Resolves when everything submitted so far has settled. */
  async drain(): Promise<void> {
    while (this.running) await this.running;
  }

  /**
   * Ends (and clears `running`) in the same tick that it finds the queue
   * empty. Before each group it yields to the event loop once: a store whose
   * commit blocks the thread (SQLite's fsync) would otherwise start the next
   * group before the requests that arrived meanwhile were even read.
   */
  private async run(): Promise<void> {
    for (;;) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.queue.length === 0) {
        this.running = undefined;
        return;
      }
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        settle(batch, await this.commit(batch.map((w) => w.request)));
      } catch (error) {
        if (batch.length === 1) {
          batch[0]!.reject(error);
          continue;
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
