/**
 * Buffered line output that respects back-pressure: lines are encoded
 * straight into a chunk-sized buffer, and a write that fills the stream's
 * buffer waits for 'drain', so exporting a million events holds one chunk
 * in memory, not the log. (Gathering lines into one string and encoding it
 * at the write cost export a third of its time in copies and GC.)
 */
export class LineWriter {
  private buffer: Buffer;
  private used = 0;

  constructor(
    private readonly stream: NodeJS.WritableStream = process.stdout,
    private readonly chunkBytes = 1 << 20,
  ) {
    this.buffer = Buffer.allocUnsafe(chunkBytes);
  }

  /**
   * Queues one line (without its newline). Returns a promise only when it
   * wrote a chunk and must wait for the stream to drain: `await` it then.
   */
  line(text: string): Promise<void> | undefined {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8 (a surrogate pair, two units, takes 4).
    return this.encodedLine(text.length * 3, writeText, text);
  }

  /**
   * Queues a line that `write` encodes straight into the chunk: it gets the
   * chunk, where to start (with `maxBytes` free) and `value`, and returns
   * where the line ends, without its newline. Returns as `line` does.
   */
  encodedLine<T>(maxBytes: number, write: (chunk: Buffer, at: number, value: T) => number, value: T): Promise<void> | undefined {
    const room = maxBytes + 1;
    let waiting: Promise<void> | undefined;
    if (this.used + room > this.buffer.length) {
      waiting = this.send();
      if (room > this.buffer.length) this.buffer = Buffer.allocUnsafe(room);
    }
    this.used = write(this.buffer, this.used, value);
    this.buffer[this.used] = 0x0a;
    this.used += 1;
    if (this.used < this.chunkBytes) return waiting;
    const full = this.send();
    return waiting && full ? Promise.all([waiting, full]).then(() => undefined) : (waiting ?? full);
  }

  async flush(): Promise<void> {
    await this.send();
  }

  /** Hands the filled part to the stream, which may keep it queued: the next lines go into a fresh buffer. */
  private send(): Promise<void> | undefined {
    if (this.used === 0) return undefined;
    const data = this.buffer.subarray(0, this.used);
    this.buffer = Buffer.allocUnsafe(this.chunkBytes);
    this.used = 0;
    return this.stream.write(data) ? undefined : waitForDrain(this.stream);
  }
}

const writeText = (chunk: Buffer, at: number, text: string): number => at + chunk.write(text, at);

function waitForDrain(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: unknown) => {
      stream.off('drain', onDrain);
      stream.off('error', done);
      stream.off('close', onDrain);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => done();
    stream.once('drain', onDrain);
    stream.once('close', onDrain);
    stream.once('error', done);
  });
}
