/**
 * Issue 14's images and files in a real browser (Debian's chromium) against
 * a real Thrds server, on each store, in two windows: Ada picks a PNG made in
 * the test (its upload progress shows, she gives it alt text) and Bob sees it
 * as a thumbnail sized before it loads, which opens full size (Escape
 * closes); a text file shows as a download chip; an image pasted and a file
 * dropped join the tray; a file over the limit fails with a plain reason and
 * can be removed. Screenshots: test-artifacts/screenshots/attachments-*.png.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { launchChromium, openThread, screenshotPath, signedInContext } from './support/browser.ts';
import { createThread, register, startWebServer, type Account, type WebServer } from './support/webServer.ts';
import { createTestDatabase, storeKinds, type StoreKind, type TestDatabase } from '../support/databases.ts';

const kinds = await storeKinds();
const maxUploadBytes = 2 * 1024 * 1024;

/** A PNG of noise (so it barely compresses: its upload takes a while on a slow link). */
async function noisyPng(width: number, height: number): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 7919 + (i >> 5) * 104729) % 251;
  return sharp(raw, { raw: { width, height, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer();
}

function solidPng(width: number, height: number, r: number, g: number, b: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r, g, b } } }).png().toBuffer();
}

/** The confirmed message whose attachments include one named or described `text`. */
function messageWithFile(page: Page, selector: string) {
  return page.locator('.messages > li.message:not(.pending)').filter({ has: page.locator(selector) });
}

describe.each(kinds)('attachments in the web app (%s)', (kind: StoreKind) => {
  let server: WebServer;
  let browser: Browser;
  let store: TestDatabase | undefined;
  let ada: Account;
  let bob: Account;
  let filesDir: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    filesDir = mkdtempSync(join(tmpdir(), 'thrds-web-files-'));
    store = kind === 'mariadb' ? await createTestDatabase('mariadb') : undefined;
    [server, browser] = await Promise.all([
      startWebServer({ ...(store ? { databaseUrl: store.url } : {}), uploads: { filesDir, maxUploadBytes } }),
      launchChromium(),
    ]);
    ada = await register(server, 'Ada');
    bob = await register(server, 'Bob');
  });

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
    await browser?.close();
    await server?.stop();
    await store?.drop();
    rmSync(filesDir, { recursive: true, force: true });
  });

  async function pageAs(account: Account): Promise<Page> {
    const context = await signedInContext(browser, server.baseUrl, account);
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error('[browser]', error));
    return page;
  }

  async function snap(page: Page, name: string): Promise<void> {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: screenshotPath(`attachments-${name}-${kind}-${scheme}`) });
    }
    await page.emulateMedia({ colorScheme: 'light' });
  }

  const composer = (page: Page) => page.locator('form.composer');
  const sendButton = (page: Page) => page.getByRole('button', { name: 'Send', exact: true });

  it('an image picked in window A, with alt text, shows in window B as a thumbnail sized before it loads, and opens full size (Escape closes)', async () => {
    const threadId = await createThread(server, ada, `Photos ${kind}`);
    const [a, b] = await Promise.all([pageAs(ada), pageAs(bob)]);
    await Promise.all([openThread(a, threadId), openThread(b, threadId)]);

    // A slow uplink (about 256 KB/s), so the upload's progress is there to be seen.
    const cdp = await a.context().newCDPSession(a);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 256 * 1024 });
    const png = await noisyPng(420, 280);
    expect(png.length).toBeGreaterThan(300_000);
    await composer(a).locator('input[type=file]').setInputFiles({ name: 'kite.png', mimeType: 'image/png', buffer: png });
    const item = a.locator('.tray-item', { hasText: 'kite.png' });
    const progress = item.locator('progress.tray-progress');
    await progress.waitFor();
    await expect.poll(async () => Number(await progress.getAttribute('value')), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await sendButton(a).isDisabled()).toBe(true);
    await snap(a, 'uploading');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await item.and(a.locator('[data-status="uploaded"]')).waitFor({ timeout: 30_000 });

    // Alt text given after the upload: it goes up again with it.
    await item.getByLabel('Alt text for kite.png').fill('A red kite over the hill');
    await item.getByLabel('Alt text for kite.png').press('Enter');
    await item.and(a.locator('[data-status="uploaded"]')).waitFor({ timeout: 30_000 });
    await expect.poll(() => sendButton(a).isEnabled()).toBe(true);
    // Attachments only: no text.
    await sendButton(a).click();
    await expect.poll(() => a.locator('.tray-item').count()).toBe(0);

    const message = messageWithFile(b, '.attachment-image');
    await message.waitFor({ timeout: 10_000 });
    const thumb = message.locator('.attachment-image img');
    expect(await thumb.getAttribute('alt')).toBe('A red kite over the hill');
    // 420×280 inside 320×240: 320×213, set before the image loads.
    expect([await thumb.getAttribute('width'), await thumb.getAttribute('height')]).toEqual(['320', '213']);
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 10_000 }).toBe(true);
    const thumbSrc = await thumb.getAttribute('src');
    expect(thumbSrc).toMatch(/\/thumbnail$/);
    await snap(b, 'thumbnail');

    await message.getByRole('button', { name: /Open full size: A red kite/ }).click();
    const dialog = b.locator('dialog.lightbox[open]');
    await dialog.waitFor();
    const full = dialog.locator('img');
    await expect.poll(() => full.evaluate((img: HTMLImageElement) => img.complete ? img.naturalWidth : 0), { timeout: 10_000 }).toBe(420);
    expect(await full.getAttribute('src')).toBe(thumbSrc?.replace(/\/thumbnail$/, ''));
    await snap(b, 'lightbox');
    await b.keyboard.press('Escape');
    await expect.poll(() => b.locator('dialog.lightbox').count()).toBe(0);
  });

  it('a file that is not an image shows in window B as a download chip with its name and size, served as a download', async () => {
    const threadId = await createThread(server, ada, `Minutes ${kind}`);
    const [a, b] = await Promise.all([pageAs(ada), pageAs(bob)]);
    await Promise.all([openThread(a, threadId), openThread(b, threadId)]);
    const text = 'Minutes of the meeting\n'.repeat(200);
    await composer(a).locator('input[type=file]').setInputFiles({ name: 'minutes.txt', mimeType: 'text/plain', buffer: Buffer.from(text) });
    await a.locator('.tray-item[data-status="uploaded"]', { hasText: 'minutes.txt' }).waitFor({ timeout: 15_000 });
    // Not an image: no alt text field.
    expect(await a.locator('.tray-item .tray-alt').count()).toBe(0);
    await a.getByRole('textbox', { name: 'Message' }).fill('The minutes are attached');
    await a.getByRole('textbox', { name: 'Message' }).press('Enter');

    const chip = messageWithFile(b, '.attachment-file').locator('.attachment-file');
    await chip.waitFor({ timeout: 10_000 });
    expect(await chip.locator('.attachment-file-name').innerText()).toBe('minutes.txt');
    expect(await chip.locator('.attachment-file-size').innerText()).toBe('4.6 KB');
    const href = await chip.getAttribute('href');
    expect(await chip.getAttribute('download')).toBe('minutes.txt');
    const response = await fetch(new URL(href!, server.baseUrl));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(await response.text()).toBe(text);
    await snap(b, 'file-chip');
  });

  it('a file added just as another upload is answered leaves that upload finished (the answer is not undone)', async () => {
    const threadId = await createThread(server, ada, `Answer and add ${kind}`);
    const a = await pageAs(ada);
    // Right after the app has taken an upload's answer (its load listener, then the promise it resolves), and
    // before React renders it, paste a second image: the moment two CI runs hit by chance, made every time.
    await a.addInitScript(() => {
      const listen = XMLHttpRequest.prototype.addEventListener;
      XMLHttpRequest.prototype.addEventListener = function (this: XMLHttpRequest, type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions) {
        if (type !== 'load') return listen.call(this, type, listener, options);
        return listen.call(
          this,
          type,
          function (this: XMLHttpRequest, event: Event) {
            (listener as EventListener).call(this, event);
            const hook = (window as { afterUploadAnswer?: (() => void) | undefined }).afterUploadAnswer;
            (window as { afterUploadAnswer?: (() => void) | undefined }).afterUploadAnswer = undefined;
            if (hook) queueMicrotask(() => queueMicrotask(hook));
          },
          options,
        );
      } as typeof XMLHttpRequest.prototype.addEventListener;
    });
    await openThread(a, threadId);
    const second = (await solidPng(40, 40, 200, 60, 60)).toString('base64');
    await a.getByRole('textbox', { name: 'Message' }).evaluate((box, data) => {
      (window as { afterUploadAnswer?: (() => void) | undefined }).afterUploadAnswer = () => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))], 'second.png', { type: 'image/png' }));
        box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
      };
    }, second);
    await composer(a).locator('input[type=file]').setInputFiles({ name: 'first.png', mimeType: 'image/png', buffer: await solidPng(40, 40, 60, 60, 200) });
    for (const name of ['first.png', 'second.png']) await a.locator('.tray-item[data-status="uploaded"]', { hasText: name }).waitFor({ timeout: 15_000 });
    await expect.poll(() => sendButton(a).isEnabled()).toBe(true);
  });

  it('an upload that stops moving (a connection gone dead) fails in plain words after 45 s without a byte, and goes through when tried again', async () => {
    const threadId = await createThread(server, ada, `Stalled upload ${kind}`);
    const a = await pageAs(ada);
    // The page's timers on a clock the test moves: 45 s of silence without waiting them out.
    await a.clock.install();
    let hold = true;
    const held: Route[] = [];
    await a.route('**/graphql', async (route) => {
      const request = route.request();
      if (hold && request.method() === 'POST' && (request.headers()['content-type'] ?? '').startsWith('multipart/form-data')) {
        held.push(route); // never answered: the server is unreachable without the browser knowing
        return;
      }
      await route.continue();
    });
    try {
      await openThread(a, threadId);
      await composer(a).locator('input[type=file]').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('stalled, then sent') });
      const item = a.locator('.tray-item', { hasText: 'notes.txt' });
      await item.and(a.locator('[data-status="uploading"]')).waitFor();
      await expect.poll(() => held.length).toBe(1);
      await a.clock.fastForward(30_000);
      expect(await item.getAttribute('data-status')).toBe('uploading'); // 30 s is not yet stalled
      await a.clock.fastForward(16_000);
      await item.locator('.tray-error').waitFor({ timeout: 10_000 });
      expect(await item.locator('.tray-error').innerText()).toMatch(/^The upload stopped: nothing moved for 45 seconds\. Check the connection and try again\./);
      expect(await sendButton(a).isDisabled()).toBe(true);
      hold = false;
      await item.getByRole('button', { name: 'Try again' }).click();
      await a.locator('.tray-item[data-status="uploaded"]', { hasText: 'notes.txt' }).waitFor({ timeout: 15_000 });
    } finally {
      for (const route of held) await route.abort().catch(() => undefined);
    }
  });

  it('an image pasted and a file dropped on the composer join the tray; a file over the limit fails in plain words and is removed; the rest are sent', async () => {
    const threadId = await createThread(server, ada, `Paste and drop ${kind}`);
    const [a, b] = await Promise.all([pageAs(ada), pageAs(bob)]);
    await Promise.all([openThread(a, threadId), openThread(b, threadId)]);
    const pasted = (await solidPng(64, 48, 20, 120, 220)).toString('base64');
    const dropped = (await solidPng(48, 64, 20, 180, 60)).toString('base64');

    await a.getByRole('textbox', { name: 'Message' }).evaluate((box, data) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))], 'screenshot.png', { type: 'image/png' }));
      box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
    }, pasted);
    await a.locator('form.composer').evaluate((form, data) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))], 'dropped.png', { type: 'image/png' }));
      form.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      form.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, dropped);
    await composer(a).locator('input[type=file]').setInputFiles({ name: 'huge.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(maxUploadBytes + 1024, 1) });

    await a.locator('.tray-item[data-status="uploaded"]', { hasText: 'screenshot.png' }).waitFor({ timeout: 15_000 });
    await a.locator('.tray-item[data-status="uploaded"]', { hasText: 'dropped.png' }).waitFor({ timeout: 15_000 });
    const huge = a.locator('.tray-item', { hasText: 'huge.bin' });
    await huge.locator('.tray-error').waitFor({ timeout: 15_000 });
    expect(await huge.locator('.tray-error').innerText()).toMatch(/^Too large: files can be at most 2.1 MB\./);
    expect(await sendButton(a).isDisabled()).toBe(true);
    await snap(a, 'tray-error');
    await a.getByRole('button', { name: 'Remove huge.bin' }).click();
    await expect.poll(() => sendButton(a).isEnabled()).toBe(true);
    await a.getByRole('textbox', { name: 'Message' }).fill('Pasted and dropped');
    await sendButton(a).click();

    const message = messageWithFile(b, '.attachment-image');
    await message.waitFor({ timeout: 10_000 });
    expect(await message.locator('.attachment-image img').evaluateAll((imgs) => imgs.map((img) => img.getAttribute('alt')))).toEqual([
      'Image: screenshot.png',
      'Image: dropped.png',
    ]);
    expect(await message.locator('.attachment-file').count()).toBe(0);
  });
});
