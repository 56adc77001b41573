/**
 * The app shell (issue 16, item 4) in a real browser: the service worker the
 * build makes is served revalidated and as a script, takes over the page, and
 * with the server out of reach (a TCP proxy in front of it cut: connections
 * refused, as a stopped server) a reload shows the app, not the browser's
 * error page: "Offline", the thread that cannot load and the message still
 * waiting in the outbox. Reachable again on the same port, the message goes
 * out by itself, exactly once. Screenshots:
 * test-artifacts/screenshots/shell-offline-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { TcpProxy } from '../support/tcpProxy.ts';
import { desktop, launchChromium, messageBodies, phone, screenshotPath, send, signedInContext, waitLive } from './support/browser.ts';
import { createThread, register, startWebServer, type Account, type WebServer } from './support/webServer.ts';

let server: WebServer;
let proxy: TcpProxy;
let browser: Browser;
let ada: Account;
let context: BrowserContext | undefined;

beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer(), launchChromium()]);
  proxy = await TcpProxy.start({ host: '127.0.0.1', port: Number(new URL(server.baseUrl).port) });
  ada = await register(server, 'Ada');
});

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await proxy?.close();
  await server?.stop();
});

/** The page's service worker is active and controls it (it claims open pages on activation). */
async function waitForShell(page: Page): Promise<void> {
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null), { timeout: 15_000 }).toMatch(/\/sw\.js$/);
}

async function snapBoth(page: Page, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: screenshotPath(`shell-${name}-${scheme}`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

async function messageCount(threadId: string): Promise<number> {
  const data = await server.gql<{ thread: { messageCount: number } }>(`query ($id: ID!) { thread(id: $id) { messageCount } }`, { id: threadId });
  return data.thread.messageCount;
}

describe('the app shell', () => {
  it('serves the built service worker as a script that is revalidated on every use', async () => {
    const response = await fetch(`${server.baseUrl}/sw.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const source = await response.text();
    // This build's version and shell files, not the template's placeholder.
    expect(source).not.toContain("version: 'dev'");
    expect(source).toMatch(/"shell":\["\/assets\/index-[^"]+\.(css|js)"/);
  });

  it('a reload with the server out of reach shows the app, Offline and the waiting message, which goes out once when the server is back', async () => {
    const threadId = await createThread(server, ada, 'Written while the server was down');
    context = await signedInContext(browser, `http://127.0.0.1:${proxy.port}`, ada, desktop, { serviceWorkers: 'allow' });
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error('[browser]', error));
    await page.goto(`/t/${threadId}`);
    await page.locator('.thread-view[aria-labelledby]').waitFor();
    await waitLive(page);
    await waitForShell(page);

    await proxy.cut();
    await send(page, 'kept through a reload');
    await page.locator('.messages > li.pending[data-status="offline"]').waitFor();

    await page.reload();
    // The app, from the shell: the indicator, the thread that cannot load, the message still waiting.
    await page.locator('.connection[data-state="offline"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('.connection').innerText()).toBe('Offline');
    const failure = page.locator('.thread-view .load-error');
    await failure.waitFor();
    expect(await failure.locator('.load-error-text').innerText()).toBe('This thread could not be loaded. Thrds cannot be reached right now.');
    const waiting = page.getByRole('region', { name: 'Waiting to be sent' }).locator('li.pending');
    expect(await waiting.allInnerTexts()).toEqual([expect.stringContaining('kept through a reload')]);
    expect(await waiting.getAttribute('data-status')).toBe('offline');
    await snapBoth(page, 'offline-desktop');
    await page.setViewportSize(phone);
    await snapBoth(page, 'offline-phone');

    await proxy.resume();
    // Nobody clicks: the thread loads again and the outbox sends under the message's original key.
    await page.locator('.thread-view[aria-labelledby]').waitFor({ timeout: 45_000 });
    await expect.poll(() => messageBodies(page), { timeout: 30_000 }).toEqual(['kept through a reload']);
    await expect.poll(() => page.locator('.messages > li.pending').count()).toBe(0);
    await waitLive(page);
    expect(await messageCount(threadId)).toBe(1);
    expect(await page.evaluate((userId) => localStorage.getItem(`thrds.outbox.${userId}`), ada.userId)).toBeNull();
    // The socket's and the retries' backoffs (up to 15 and 30 s) run on a loaded machine: more than the default minute.
  }, 150_000);
});
