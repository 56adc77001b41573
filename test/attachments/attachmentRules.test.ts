/** The pure rules of attachments: names, alt text, byte ranges, the image queue. */
import { describe, expect, it } from 'vitest';
import { altText, cleanFileName, MAX_NAME } from '../../src/attachments/attachmentText.ts';
import { byteRange } from '../../src/attachments/byteRange.ts';
import { dispositionOf } from '../../src/attachments/fileRoute.ts';
import { createImageQueue } from '../../src/attachments/imageQueue.ts';

describe('cleanFileName', () => {
  it('keeps the base name only, from either kind of separator', () => {
    expect(cleanFileName('C:\\Users\\me\\cat.png')).toBe('cat.png');
    expect(cleanFileName('/etc/../passwd')).toBe('passwd');
  });
  it('removes control, bidi override and bidi mark characters (a name cannot reorder what follows it)', () => {
    expect(cleanFileName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(cleanFileName('a\u0000b\u200Fc\u2066.txt')).toBe('abc.txt');
  });
  it('is none when nothing is left, or only a dot or two', () => {
    expect([cleanFileName(''), cleanFileName('\u202E'), cleanFileName('..'), cleanFileName('dir/'), cleanFileName(null)]).toEqual([null, null, null, null, null]);
  });
  it('cuts a long name to 255 characters, keeping its extension', () => {
    const name = cleanFileName(`${'é'.repeat(400)}.jpeg`)!;
    expect([...name]).toHaveLength(MAX_NAME);
    expect(name.endsWith('é.jpeg')).toBe(true);
  });
});

describe('altText', () => {
  it('trims, and takes blank as none', () => {
    expect([altText('  a cat  '), altText('   '), altText(null)]).toEqual(['a cat', null, null]);
  });
  it('refuses more than one line, control and bidi override characters, and more than 1000 characters (BAD_USER_INPUT)', () => {
    for (const bad of ['two\nlines', 'bell\u0007', 'rtl\u202Eoverride', 'x'.repeat(1001)]) expect(() => altText(bad)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    expect(altText('x'.repeat(1000))).toHaveLength(1000);
  });
});

describe('byteRange', () => {
  it('serves the whole file without a Range, or with several ranges', () => {
    expect(byteRange(undefined, 10)).toEqual({ kind: 'whole' });
    expect(byteRange('bytes=0-1,4-5', 10)).toEqual({ kind: 'whole' });
  });
  it('reads a closed, an open and a suffix range, the end clamped to the file', () => {
    expect(byteRange('bytes=2-4', 10)).toEqual({ kind: 'part', range: { start: 2, end: 4 } });
    expect(byteRange('bytes=7-', 10)).toEqual({ kind: 'part', range: { start: 7, end: 9 } });
    expect(byteRange('bytes=5-100', 10)).toEqual({ kind: 'part', range: { start: 5, end: 9 } });
    expect(byteRange('bytes=-3', 10)).toEqual({ kind: 'part', range: { start: 7, end: 9 } });
    expect(byteRange('bytes=-30', 10)).toEqual({ kind: 'part', range: { start: 0, end: 9 } });
  });
  it('cannot satisfy a range past the end, reversed, empty or malformed', () => {
    for (const header of ['bytes=10-', 'bytes=5-2', 'bytes=-0', 'bytes=-', 'bytes=a-b', 'items=0-1']) expect(byteRange(header, 10)).toEqual({ kind: 'unsatisfiable' });
    expect(byteRange('bytes=0-0', 0)).toEqual({ kind: 'unsatisfiable' });
  });
});

describe('dispositionOf', () => {
  it('percent-encodes the name as RFC 8187 UTF-8, quotes and all', () => {
    expect(dispositionOf(false, 'my "file" (1)\'s.txt')).toBe("attachment; filename*=UTF-8''my%20%22file%22%20%281%29%27s.txt");
    expect(dispositionOf(true, 'café.png')).toBe("inline; filename*=UTF-8''caf%C3%A9.png");
  });
});

describe('createImageQueue', () => {
  it('runs at most `concurrency` jobs at once, in order, and refuses past the line (UNAVAILABLE)', async () => {
    const queue = createImageQueue(2, 1);
    let running = 0;
    let most = 0;
    const releases: Array<() => void> = [];
    const job = () =>
      queue.run(async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running -= 1;
      });
    const jobs = [job(), job(), job()];
    await expect(job()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(queue.stats).toEqual({ running: 2, waiting: 1 });
    while (releases.length > 0 || queue.stats.running > 0) {
      releases.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(jobs);
    expect(most).toBe(2);
    expect(queue.stats).toEqual({ running: 0, waiting: 0 });
  });
});
