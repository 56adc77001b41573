/** What an upload becomes, decided from its bytes: images re-encoded clean, animations kept, everything else as sent. */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createImageQueue } from '../../src/attachments/imageQueue.ts';
import { processUpload } from '../../src/attachments/processUpload.ts';

const queue = createImageQueue(1, 4);

async function frames(): Promise<Buffer[]> {
  return Promise.all(['red', 'blue', 'green'].map((background) => sharp({ create: { width: 30, height: 20, channels: 3, background } }).png().toBuffer()));
}

describe('processUpload', () => {
  it('keeps an animated GIF animated (every frame re-encoded); its thumbnail is the first frame as WebP', async () => {
    const gif = await sharp(await frames(), { join: { animated: true } }).gif({ delay: [100, 100, 100] }).toBuffer();
    const out = await processUpload(new Uint8Array(gif), { name: 'a.gif', type: 'image/gif' }, queue);
    const meta = await sharp(out.bytes).metadata();
    expect({ type: out.contentType, width: out.width, height: out.height, pages: meta.pages, format: meta.format }).toEqual({ type: 'image/gif', width: 30, height: 20, pages: 3, format: 'gif' });
    const thumb = await sharp(out.thumbnail!.bytes).metadata();
    expect({ format: thumb.format, pages: thumb.pages ?? 1, width: thumb.width, height: thumb.height }).toEqual({ format: 'webp', pages: 1, width: 30, height: 20 });
  });

  it('keeps an animated WebP animated, typed from its bytes whatever the client said', async () => {
    const webp = await sharp(await frames(), { join: { animated: true } }).webp().toBuffer();
    const out = await processUpload(new Uint8Array(webp), { name: 'no-extension', type: 'application/pdf' }, queue);
    expect({ type: out.contentType, pages: (await sharp(out.bytes).metadata()).pages }).toEqual({ type: 'image/webp', pages: 3 });
  });

  it('fits a large image\'s thumbnail inside 480 × 480, keeping its shape', async () => {
    const png = await sharp({ create: { width: 1200, height: 600, channels: 3, background: 'white' } }).png().toBuffer();
    const out = await processUpload(new Uint8Array(png), { name: 'wide.png', type: 'image/png' }, queue);
    expect([out.width, out.height, out.thumbnail?.width, out.thumbnail?.height]).toEqual([1200, 600, 480, 240]);
  });

  it('stores any other file as sent, typed by its bytes (a PDF) or as application/octet-stream, with no thumbnail', async () => {
    const pdf = new TextEncoder().encode('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    const asPdf = await processUpload(pdf, { name: 'doc.txt', type: 'text/plain' }, queue);
    expect([asPdf.contentType, asPdf.bytes, asPdf.thumbnail]).toEqual(['application/pdf', pdf, null]);
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    expect((await processUpload(svg, { name: 'x.svg', type: 'image/svg+xml' }, queue)).contentType).toBe('application/octet-stream');
  });
});
