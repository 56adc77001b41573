/**
 * A subscription whose source is not the log: who is online, who is
 * typing, a viewer's thread updates. Nothing to resume, so no group and no
 * catch-up: each value the source yields is executed and sent. Sources hand
 * every watcher of one scope the same value object (src/presence), so
 * subscribers with the same document and variables (and, for viewer-scoped
 * fields, the same user) share one execution per value: `SharedResults`.
 */
import type { Owner } from './liveSubscription.ts';
import type { SocketTransport } from './socketTransport.ts';

const FRAME_END = Buffer.from('}');

/** One value's result as bytes. */
export type ExecuteValue = (value: unknown) => Promise<Buffer>;

/**
 * Results shared by value identity: the first subscriber of a group key to
 * meet a value executes it, the others reuse the bytes; a value's results
 * go with the value (a WeakMap), so nothing needs forgetting.
 */
export class SharedResults {
  private readonly byValue = new WeakMap<object, Map<string, Promise<Buffer>>>();
  /** Executions run (the rest were shared), since start (metrics). */
  executions = 0;

  executor(key: string, execute: (value: unknown) => Promise<string>): ExecuteValue {
    return (value) => {
      if (typeof value !== 'object' || value === null) return this.run(execute, value);
      let results = this.byValue.get(value);
      if (!results) this.byValue.set(value, (results = new Map()));
      let result = results.get(key);
      if (!result) {
        result = this.run(execute, value);
        results.set(key, result);
        // A failed execution is not kept: the next subscriber tries again.
        result.catch(() => results.delete(key));
      }
      return result;
    };
  }

  private run(execute: (value: unknown) => Promise<string>, value: unknown): Promise<Buffer> {
    this.executions += 1;
    return execute(value).then((json) => Buffer.from(json));
  }
}

export class EphemeralSubscription {
  private readonly prefix: Buffer;
  private stopped = false;

  constructor(
    private readonly owner: Owner,
    private readonly transport: SocketTransport,
    id: string,
    private readonly source: AsyncIterator<unknown>,
    private readonly execute: ExecuteValue,
    /** Frames sent, since start (metrics). */
    private readonly sent: { ephemeralFrames: number },
  ) {
    this.prefix = Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":`);
    owner.stats.subscriptions += 1;
  }

  /** Sends each value's result until the source ends (true) or the subscription is stopped (false). */
  async run(): Promise<boolean> {
    while (!this.stopped) {
      const { value, done } = await this.source.next();
      if (done) return !this.stopped;
      const bytes = await this.execute(value);
      if (this.stopped) return false;
      // Values are states (the latest one is what counts), but a socket that does not read is still dropped, as on the log's path.
      if (this.owner.overBudget()) {
        this.owner.tooSlow();
        return false;
      }
      this.transport.send(Buffer.concat([this.prefix, bytes, FRAME_END]));
      this.sent.ephemeralFrames += 1;
    }
    return false;
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.owner.stats.subscriptions -= 1;
    void this.source.return?.();
  }
}
