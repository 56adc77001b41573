/**
 * At most THRDS_MAX_CONCURRENT_UPLOADS upload bodies at once, whoever sends
 * them: with two slots and two uploads held open mid-body (raw sockets that
 * declared more than they sent), a third is refused UNAVAILABLE (503,
 * retryable, Retry-After) and counted; a slot comes back when its upload is
 * answered or its client goes away, and the next upload is stored. A real
 * server over real sockets, SQLite (the cap is the HTTP layer's, not the
 * store's).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request, type ClientRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadSettingsFromEnv } from '../../src/attachments/uploadSettings.ts';
import { parsePrometheus } from '../observability/support/prometheus.ts';
import { signUp, type TestServer } from '../support/server.ts';
import { waitFor } from '../support/waitFor.ts';
import { fileUrl, plainPng, startFilesServer, upload } from './support/uploads.ts';

describe('concurrent uploads', () => {
  let server: TestServer;
  let alice: { token: string; id: string };
  const filesDir = mkdtempSync(join(tmpdir(), 'thrds-upload-slots-'));

  beforeAll(async () => {
    ({ server } = await startFilesServer('sqlite', { uploads: { filesDir, maxUploadBytes: 256 * 1024, maxConcurrentUploads: 2 } }));
    alice = await signUp(server, 'alice');
  });
  afterAll(async () => {
    await server.dispose();
    rmSync(filesDir, { recursive: true, force: true });
  });

  /** A multipart POST that declares 100 KB and sends the first 1 KB of it, then waits. */
  function heldUpload(): ClientRequest {
    const boundary = 'held-upload';
    const url = new URL(server.url);
    const held = request({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': 100_000, authorization: `Bearer ${alice.token}`, 'x-graphql-yoga-csrf': '1' },
    });
    held.on('error', () => undefined);
    held.write(`--${boundary}\r\ncontent-disposition: form-data; name="operations"\r\n\r\n${' '.repeat(1000)}`);
    return held;
  }

  const busyCount = async () => parsePrometheus(await (await fetch(fileUrl(server, '/metrics'))).text()).value('thrds_uploads_total', { outcome: 'busy' }) ?? 0;
  const png = async () => ({ bytes: await plainPng(), name: 'dot.png', type: 'image/png' });

  it('refuses a third upload while two are being received, and takes the next once a slot is free', async () => {
    const first = heldUpload();
    const second = heldUpload();
    // Both slots are taken once the server has their headers: poll with a third until it is refused.
    let refused: Awaited<ReturnType<typeof upload>> | undefined;
    await waitFor(async () => {
      const reply = await upload(server, alice.token, await png());
      if (reply.status === 503) refused = reply;
      return refused !== undefined;
    }, { what: 'an upload to be refused while two are held open' });
    expect(refused!.body?.errors?.[0]?.extensions).toMatchObject({ code: 'UNAVAILABLE', retryable: true, retryAfter: 1 });
    expect(refused!.body?.errors?.[0]?.message).toMatch(/2 uploads already/);
    expect(await busyCount()).toBeGreaterThanOrEqual(1);

    // One client goes away mid-body: its slot comes back, and an upload is stored.
    first.destroy();
    await waitFor(async () => (await upload(server, alice.token, await png())).status === 200, { what: 'a slot to come back after a client left' });
    second.destroy();
    await waitFor(async () => (await upload(server, alice.token, await png())).status === 200, { what: 'the other slot to come back' });
    // An answered upload gives its slot back too: more uploads one after another than there are slots.
    for (let i = 0; i < 3; i++) {
      const stored = await upload(server, alice.token, await png());
      expect(stored.status).toBe(200);
      expect(stored.body?.data?.uploadAttachment.contentType).toBe('image/png');
    }
  });

  it('reads THRDS_MAX_CONCURRENT_UPLOADS, 8 by default, and refuses a value that is not a positive whole number', () => {
    expect(uploadSettingsFromEnv({}).maxConcurrentUploads).toBe(8);
    expect(uploadSettingsFromEnv({ THRDS_MAX_CONCURRENT_UPLOADS: '3' }).maxConcurrentUploads).toBe(3);
    for (const bad of ['0', '-1', '2.5', 'many']) expect(() => uploadSettingsFromEnv({ THRDS_MAX_CONCURRENT_UPLOADS: bad })).toThrow(/THRDS_MAX_CONCURRENT_UPLOADS/);
  });
});
