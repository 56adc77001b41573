/**
 * Buffered line output that respects back-pressure: lines are gathered into
 * chunks, and a write that fills the stream's buffer waits for 'drain', so
 * exporting a million events holds one chunk in memory, not the log.
 */
export class LineWriter {
  private chunk = '';

  constructor(
    private readonly stream: NodeJS.WritableStream = process.stdout,
    private readonly chunkBytes = 1 << 20,
  ) {}

  /**
   * Queues one line (without its newline). Returns a promise only when it
   * wrote a chunk and must wait for the stream to drain: `await` it then.
   */
  line(text: string): Promise<void> | undefined {
    this.chunk += `${text}\n`;
    return this.chunk.length >= this.chunkBytes ? this.flush() : undefined;
  }

  async flush(): Promise<void> {
    if (this.chunk === '') return;
    const data = this.chunk;
    this.chunk = '';
    if (!this.stream.write(data)) await waitForDrain(this.stream);
  }
}

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
