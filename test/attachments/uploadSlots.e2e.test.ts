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

  /** What went wrong on a held upload's connection (none expected until the test ends it). */
  const heldErrors: string[] = [];

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
    held.on('error', (error) => {
      // Once the test destroys it, its error (socket hang up) is expected.
      if (!held.destroyed) heldErrors.push(error.message);
    });
    held.write(`--${boundary}\r\ncontent-disposition: form-data; name="operations"\r\n\r\n${' '.repeat(1000)}`);
    return held;
  }

  const metric = async (name: string, labels: Record<string, string> = {}) => parsePrometheus(await (await fetch(fileUrl(server, '/metrics'))).text()).value(name, labels) ?? 0;
  const busyCount = () => metric('thrds_uploads_total', { outcome: 'busy' });
  const inProgress = () => metric('thrds_uploads_in_progress');
  const png = async () => ({ bytes: await plainPng(), name: 'dot.png', type: 'image/png' });

  it('refuses a third upload while two are being received, and takes the next once a slot is free', async () => {
    expect(await inProgress()).toBe(0);
    const first = heldUpload();
    const second = heldUpload();
    // Both slots are taken once the server has their headers (the gauge says so); then a third is refused.
    let seen = 0;
    await waitFor(
      async () => {
        if (heldErrors.length > 0) throw new Error(`a held upload failed: ${heldErrors.join('; ')}`);
        seen = await inProgress();
        return seen === 2;
      },
      { what: 'both held uploads to take a slot', timeoutMs: 30_000, seen: () => `${seen} in progress` },
    );
    const refused = await upload(server, alice.token, await png());
    expect(refused.status).toBe(503);
    expect(refused.body?.errors?.[0]?.extensions).toMatchObject({ code: 'UNAVAILABLE', retryable: true, retryAfter: 1 });
    expect(refused.body?.errors?.[0]?.message).toMatch(/2 uploads already/);
    expect(await busyCount()).toBeGreaterThanOrEqual(1);

    // One client goes away mid-body: its slot comes back, and an upload is stored.
    first.destroy();
    await waitFor(async () => (await inProgress()) === 1, { what: 'the slot of the client that left to come back' });
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
