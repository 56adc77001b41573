/**
 * Uploaded avatars (issue 16 item 8) in a real browser against a real
 * server: Ada opens her picture dialog from the header (axe finds nothing
 * serious in it, light and dark), uploads a PNG and sees it at once; Bob, in
 * his own window, already open, sees it take the place of her initials live,
 * and on her next message, as an image with an empty alt at the avatar's
 * fixed size; when the picture fails to load he sees her
 * initials; once she removes it, initials again, live in his open window. Screenshots:
 * test-artifacts/screenshots/avatar-*.png and a11y-avatar-dialog-*.png.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openThread, waitLive } from './support/browser.ts';
import { browserScene } from './support/scene.ts';
import { audit, seriousOnly } from './support/axe.ts';
import { createThread, postMessage, type Account, type WebServer } from './support/webServer.ts';

const filesDir = mkdtempSync(join(tmpdir(), 'thrds-web-avatar-'));
let server: WebServer;
let ada: Account;
let bob: Account;
const scene = browserScene('avatar', (ready) => ({ server, ada, bob } = ready), 'sqlite', { uploads: { filesDir, maxUploadBytes: 1024 * 1024 } });
afterAll(() => rmSync(filesDir, { recursive: true, force: true }));
const pageAs = (account: Account) => scene.page(account);
const snap = (page: Page, name: string) => scene.snap(page, name);

/** A picture wider than tall, in two colours, so a stretched or uncropped avatar would show. */
async function portrait(): Promise<Buffer> {
  const left = await sharp({ create: { width: 120, height: 80, channels: 3, background: { r: 230, g: 120, b: 20 } } }).png().toBuffer();
  return sharp({ create: { width: 240, height: 80, channels: 3, background: { r: 20, g: 90, b: 200 } } })
    .composite([{ input: left, left: 0, top: 0 }])
    .png()
    .toBuffer();
}

/** The avatar of the message that says `body`. */
const avatarOfMessage = (page: Page, body: string) => page.locator('.messages > li.message', { hasText: body }).locator('.avatar');

describe('uploaded avatars in the web app', () => {
  let threadId: string;

  it('Ada uploads a picture in her picture dialog (no serious axe finding) and Bob sees it on her message', async () => {
    threadId = await createThread(server, ada, 'Faces');
    await postMessage(server, bob, threadId, 'Who is who here?');
    await postMessage(server, ada, threadId, 'Ada, before her picture.');
    // Bob's window is open before Ada changes her picture: it follows the change live.
    const b = await pageAs(bob);
    await openThread(b, threadId);
    await expect.poll(() => avatarOfMessage(b, 'Ada, before her picture.').innerText(), { timeout: 15_000 }).toBe('A');
    const a = await pageAs(ada);
    await openThread(a, threadId);
    await a.getByRole('button', { name: 'Your picture' }).click();
    const dialog = a.getByRole('dialog', { name: 'Your picture' });
    await dialog.waitFor();
    expect(await dialog.getByRole('button', { name: 'Remove picture' }).isDisabled()).toBe(true);
    expect(seriousOnly(await audit(a, 'avatar-dialog'))).toEqual([]);

    await dialog.getByLabel('Upload a picture').setInputFiles({ name: 'ada.png', mimeType: 'image/png', buffer: await portrait() });
    await expect.poll(() => dialog.getByRole('status').innerText(), { timeout: 15_000 }).toBe('Your picture is set.');
    const own = a.locator('.avatar-button .avatar-picture');
    await own.waitFor();
    expect(await own.getAttribute('src')).toMatch(/^\/files\/[0-9a-f-]{36}\/avatar$/);
    expect(await dialog.getByRole('button', { name: 'Remove picture' }).isEnabled()).toBe(true);
    await snap(a, 'dialog');
    await dialog.getByRole('button', { name: 'Close' }).click();
    // Live: her message already on Bob's screen takes the picture (UserAvatarChanged on his events feed).
    const earlier = avatarOfMessage(b, 'Ada, before her picture.').locator('img.avatar-picture');
    await earlier.waitFor({ timeout: 15_000 });
    expect(await earlier.getAttribute('src')).toBe(await own.getAttribute('src'));
    // Bob answers in between, so her next message heads a group of its own (continued lines draw no avatar).
    await postMessage(server, bob, threadId, 'Nice picture.');
    await postMessage(server, ada, threadId, 'It is me, with my new picture.');

    const avatar = avatarOfMessage(b, 'It is me, with my new picture.');
    const picture = avatar.locator('img.avatar-picture');
    await picture.waitFor({ timeout: 15_000 });
    expect(await picture.getAttribute('src')).toBe(await own.getAttribute('src'));
    expect(await picture.getAttribute('alt')).toBe('');
    // Loaded, filling the avatar's fixed circle, cropped (cover) rather than stretched.
    await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    const box = await avatar.boundingBox();
    const image = await picture.boundingBox();
    expect(box && image && Math.abs(box.width - image.width) < 1 && Math.abs(box.height - image.height) < 1).toBe(true);
    expect(await picture.evaluate((img) => getComputedStyle(img).objectFit)).toBe('cover');
    expect(await avatar.getAttribute('aria-hidden')).toBe('true');
    // Bob has no picture: his message keeps his initials.
    expect(await avatarOfMessage(b, 'Who is who here?').innerText()).toBe('B');
    await snap(b, 'message');
  });

  it('a picture that fails to load falls back to initials, and removing it shows initials to everyone', async () => {
    const b = await pageAs(bob);
    await b.route('**/files/*/avatar', (route) => route.fulfill({ status: 404, body: 'Not found' }));
    await openThread(b, threadId);
    const avatar = avatarOfMessage(b, 'It is me, with my new picture.');
    await expect.poll(() => avatar.innerText(), { timeout: 15_000 }).toBe('A');
    expect(await avatar.locator('img').count()).toBe(0);

    // Another window of Bob's, where the picture loads, open while Ada removes it.
    const watching = await pageAs(bob);
    await openThread(watching, threadId);
    const shown = avatarOfMessage(watching, 'It is me, with my new picture.');
    await shown.locator('img.avatar-picture').waitFor({ timeout: 15_000 });

    const a = await pageAs(ada);
    await openThread(a, threadId);
    await a.getByRole('button', { name: 'Your picture' }).click();
    const dialog = a.getByRole('dialog', { name: 'Your picture' });
    await dialog.getByRole('button', { name: 'Remove picture' }).click();
    await expect.poll(() => dialog.getByRole('status').innerText()).toContain('Picture removed');
    expect(await a.locator('.avatar-button .avatar').innerText()).toBe('A');
    // Live in Bob's open window too.
    await expect.poll(() => shown.innerText(), { timeout: 15_000 }).toBe('A');
    expect(await shown.locator('img').count()).toBe(0);

    const fresh = await pageAs(bob);
    await fresh.goto(`/t/${threadId}`);
    await waitLive(fresh);
    const after = avatarOfMessage(fresh, 'It is me, with my new picture.');
    await expect.poll(() => after.innerText(), { timeout: 15_000 }).toBe('A');
    expect(await after.locator('img').count()).toBe(0);
  });
});
