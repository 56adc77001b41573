/**
 * LineWriter encodes lines straight into a chunk buffer: what reaches a real
 * file must be byte for byte the lines joined by newlines, whatever their
 * characters (multi-byte, surrogate pairs, a lone surrogate) and sizes
 * (lines longer than a chunk, a chunk of one byte as `thrds events --follow`
 * uses), and a full pipe must make it wait for 'drain'.
 */
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { LineWriter } from '../../src/cli/output.ts';

const dir = mkdtempSync(join(tmpdir(), 'thrds-linewriter-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lines = ['{"a":1}', '', 'héllo ✓ wörld', '😀 pair and \ud800 lone', 'x'.repeat(5000), '€'.repeat(3000), 'last'];

async function writtenThrough(chunkBytes: number): Promise<Buffer> {
  const file = join(dir, `out-${chunkBytes}.jsonl`);
  const stream = createWriteStream(file);
  const out = new LineWriter(stream, chunkBytes);
  for (let round = 0; round < 20; round += 1) {
    for (const line of lines) {
      const full = out.line(line);
      if (full) await full;
    }
  }
  await out.flush();
  await new Promise<void>((resolve) => stream.end(() => resolve()));
  return readFileSync(file);
}

describe('LineWriter', () => {
  const expected = Buffer.from(Array.from({ length: 20 }, () => lines.map((l) => `${l}\n`).join('')).join(''), 'utf8');

  for (const chunkBytes of [1, 64, 4096, 1 << 20]) {
    it(`writes exactly the lines and their newlines, in UTF-8, with chunks of ${chunkBytes} bytes`, async () => {
      expect((await writtenThrough(chunkBytes)).equals(expected)).toBe(true);
    });
  }

  it('makes the writer wait for drain when the stream is full, and loses nothing', async () => {
    const pipe = new PassThrough({ highWaterMark: 16 });
    const out = new LineWriter(pipe, 64);
    let waited = 0;
    const writing = (async () => {
      for (let i = 0; i < 200; i += 1) {
        const full = out.line(`line ${i} ✓`);
        if (full) {
          waited += 1;
          await full;
        }
      }
      await out.flush();
      pipe.end();
    })();
    const received: Buffer[] = [];
    for await (const chunk of pipe) received.push(chunk as Buffer);
    await writing;
    expect(waited).toBeGreaterThan(0);
    expect(Buffer.concat(received).toString('utf8')).toBe(Array.from({ length: 200 }, (_, i) => `line ${i} ✓\n`).join(''));
  });
});
