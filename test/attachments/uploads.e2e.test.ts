/**
 * uploadAttachment and /files end to end, through real sockets, on every
 * store: real multipart requests (fetch + FormData), images made in the test
 * with sharp, the bytes served back and read with sharp again.
 */
import { readdirSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/openDatabase.ts';
import { storeKinds } from '../support/databases.ts';
import { signUp, type TestServer } from '../support/server.ts';
import { fileUrl, jpegWithExif, multipartForm, plainPng, pngWithExif, startFilesServer, upload, uploaded } from './support/uploads.ts';

const kinds = await storeKinds();

/** Every file in the store's folder (shards and names), so "nothing stored" can be checked. */
function storedFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => /[0-9a-f]{64}$/.test(name)).sort();
  } catch {
    return [];
  }
}

describe.each(kinds)('uploads on %s', (kind) => {
  let server: TestServer;
  let filesDir: string;
  let alice: { token: string; id: string };

  beforeAll(async () => {
    ({ server, filesDir } = await startFilesServer(kind));
    alice = await signUp(server, 'alice');
  });
  afterAll(async () => {
    await server.dispose();
  });

  const uploadRows = async () => {
    const db = await openDatabase(server.database.url);
    try {
      const [row] = await db.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM uploads');
      return Number(row?.n);
    } finally {
      await db.close();
    }
  };
  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') => fetch(fileUrl(server, path), { method, headers });

  it('strips EXIF and GPS from a PNG: the served image has no metadata, keeps its size, and has a WebP thumbnail', async () => {
    const original = await pngWithExif(64, 32);
    expect((await sharp(original).metadata()).exif).toBeDefined();
    const attachment = await uploaded(server, alice.token, { bytes: original, name: 'C:\\Users\\alice\\holiday.png', type: 'image/png' }, ' The beach ');
    expect(attachment).toMatchObject({ contentType: 'image/png', name: 'holiday.png', alt: 'The beach', width: 64, height: 32, url: `/files/${attachment.id}`, thumbnailUrl: `/files/${attachment.id}/thumbnail` });
    const served = await get(attachment.url);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    const bytes = new Uint8Array(await served.arrayBuffer());
    expect(bytes.byteLength).toBe(attachment.byteSize);
    const meta = await sharp(bytes).metadata();
    expect({ exif: meta.exif, xmp: meta.xmp, icc: meta.icc, width: meta.width, height: meta.height }).toEqual({ exif: undefined, xmp: undefined, icc: undefined, width: 64, height: 32 });
    expect(Buffer.from(bytes).includes('LeakCam')).toBe(false);
    const thumbnail = await get(attachment.thumbnailUrl!);
    expect(thumbnail.headers.get('content-type')).toBe('image/webp');
    const thumbMeta = await sharp(new Uint8Array(await thumbnail.arrayBuffer())).metadata();
    // Never enlarged: a 64 × 32 image stays 64 × 32.
    expect({ format: thumbMeta.format, width: thumbMeta.width, height: thumbMeta.height, exif: thumbMeta.exif }).toEqual({ format: 'webp', width: 64, height: 32, exif: undefined });
  });

  it('turns a JPEG upright by its EXIF orientation and strips the EXIF, GPS included', async () => {
    const original = await jpegWithExif(60, 40);
    expect((await sharp(original).metadata()).orientation).toBe(6);
    const attachment = await uploaded(server, alice.token, { bytes: original, name: 'camera.jpg', type: 'image/jpeg' });
    expect(attachment).toMatchObject({ contentType: 'image/jpeg', width: 40, height: 60 });
    const meta = await sharp(new Uint8Array(await (await get(attachment.url)).arrayBuffer())).metadata();
    expect({ exif: meta.exif, orientation: meta.orientation, width: meta.width, height: meta.height }).toEqual({ exif: undefined, orientation: undefined, width: 40, height: 60 });
  });

  it('serves a polyglot (PNG bytes named x.html, sent as text/html) as image/png with nosniff and a sandboxing CSP', async () => {
    const attachment = await uploaded(server, alice.token, { bytes: await plainPng(), name: 'x.html', type: 'text/html' });
    expect(attachment.contentType).toBe('image/png');
    const served = await get(attachment.url);
    expect(Object.fromEntries(['content-type', 'x-content-type-options', 'content-security-policy', 'content-disposition'].map((h) => [h, served.headers.get(h)]))).toEqual({
      'content-type': 'image/png',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'content-disposition': "inline; filename*=UTF-8''x.html",
    });
  });

  it('offers an HTML file as a download, never as text/html', async () => {
    const html = new TextEncoder().encode('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
    const attachment = await uploaded(server, alice.token, { bytes: html, name: 'page.html', type: 'text/html' });
    expect(attachment).toMatchObject({ contentType: 'application/octet-stream', width: null, height: null, thumbnailUrl: null, byteSize: html.byteLength });
    const served = await get(attachment.url);
    expect(served.headers.get('content-type')).toBe('application/octet-stream');
    expect(served.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''page.html");
    expect(served.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(html);
  });

  it('cleans the name: no folder, no control or bidi characters, and serves it under the cleaned name', async () => {
    const a = await uploaded(server, alice.token, { bytes: new Uint8Array([1, 2, 3]), name: '../../etc/pass\u202Ewd\u0007.txt', type: 'text/plain' });
    expect(a.name).toBe('passwd.txt');
    const served = await get(a.url);
    expect(served.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''passwd.txt");
  });

  it('refuses a file over THRDS_MAX_UPLOAD_BYTES (PAYLOAD_TOO_LARGE), by size, by Content-Length and chunked, and stores nothing', async () => {
    const filesBefore = storedFiles(filesDir);
    const rowsBefore = await uploadRows();
    const justOver = await upload(server, alice.token, { bytes: new Uint8Array(256 * 1024 + 1), name: 'big.bin', type: 'application/octet-stream' });
    expect(justOver.body?.errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
    const farOver = await upload(server, alice.token, { bytes: new Uint8Array(400 * 1024), name: 'bigger.bin', type: 'application/octet-stream' });
    expect(farOver.status).toBe(413);
    expect(farOver.body?.errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
    // Chunked: no Content-Length to refuse by; the count of bytes read stops it.
    const form = new Response(multipartForm('mutation ($file: File!) { uploadAttachment(file: $file) { id } }', {}, { bytes: new Uint8Array(400 * 1024), name: 'chunked.bin', type: 'application/octet-stream' }));
    const chunked = await fetch(server.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice.token}`, 'x-graphql-yoga-csrf': '1', 'content-type': form.headers.get('content-type')! },
      body: form.body,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(((await chunked.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]?.extensions.code).toBe('PAYLOAD_TOO_LARGE');
    expect(storedFiles(filesDir)).toEqual(filesBefore);
    expect(await uploadRows()).toBe(rowsBefore);
  });

  it('refuses an image in disguise, a broken image and a pixel bomb (BAD_USER_INPUT), and stores nothing', async () => {
    const filesBefore = storedFiles(filesDir);
    const rowsBefore = await uploadRows();
    const html = new TextEncoder().encode('<html><script>alert(1)</script></html>');
    const disguised = await upload(server, alice.token, { bytes: html, name: 'cat.png', type: 'image/png' });
    expect(disguised.body?.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const png = await plainPng(200, 200);
    const broken = await upload(server, alice.token, { bytes: png.slice(0, 60), name: 'broken.bin', type: 'application/octet-stream' });
    expect(broken.body?.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const bomb = await upload(server, alice.token, { bytes: await pngClaiming(20_000, 20_000), name: 'bomb.png', type: 'image/png' });
    expect(bomb.body?.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringContaining('pixels') });
    expect(storedFiles(filesDir)).toEqual(filesBefore);
    expect(await uploadRows()).toBe(rowsBefore);
  });

  it('needs a token (UNAUTHENTICATED), the CSRF header (403 FORBIDDEN), and runs nothing but uploadAttachment in a multipart request', async () => {
    const file = { bytes: await plainPng(), name: 'a.png', type: 'image/png' };
    expect((await upload(server, undefined, file)).body?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const noCsrf = await upload(server, alice.token, file, { csrf: false });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const other = await upload(server, alice.token, file, { query: 'mutation ($file: File!) { uploadAttachment(file: $file) { id } logout }' });
    expect(other.status).toBe(400);
    expect(other.body?.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const alt = await upload(server, alice.token, file, { alt: 'two\nlines' });
    expect(alt.body?.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('answers HEAD, a single Range (206), a bad Range (416) and If-None-Match (304) by the SHA-256 ETag', async () => {
    const bytes = new TextEncoder().encode('0123456789abcdefghij');
    const a = await uploaded(server, alice.token, { bytes, name: 'digits.txt', type: 'text/plain' });
    const head = await get(a.url, {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('20');
    expect(head.headers.get('accept-ranges')).toBe('bytes');
    expect(head.headers.get('cache-control')).toBe('private, no-cache');
    const etag = head.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    expect(await head.text()).toBe('');
    const part = await get(a.url, { range: 'bytes=2-5' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 2-5/20');
    expect(await part.text()).toBe('2345');
    const suffix = await get(a.url, { range: 'bytes=-3' });
    expect([suffix.status, await suffix.text()]).toEqual([206, 'hij']);
    const bad = await get(a.url, { range: 'bytes=30-40' });
    expect(bad.status).toBe(416);
    expect(bad.headers.get('content-range')).toBe('bytes */20');
    const cached = await get(a.url, { 'if-none-match': etag });
    expect(cached.status).toBe(304);
    expect(await cached.text()).toBe('');
    expect((await get(`/files/${a.id}/thumbnail`)).status).toBe(404);
    expect((await get('/files/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await get('/files/not-an-id')).status).toBe(404);
  });
});

/** A real 1 × 1 PNG whose header says width × height: sharp must refuse it before it decodes anything. */
async function pngClaiming(width: number, height: number): Promise<Uint8Array> {
  const png = Buffer.from(await sharp({ create: { width: 1, height: 1, channels: 3, background: 'white' } }).png().toBuffer());
  // IHDR: length (4) + "IHDR" (4) after the 8-byte signature; width and height follow, then 5 bytes, then the CRC.
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return new Uint8Array(png);
}

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k += 1) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}


