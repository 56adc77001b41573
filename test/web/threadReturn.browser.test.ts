/**
 * Issue 16, item 2: returning to a thread restores it from the session's
 * cache, in a real browser against a real server (a seeded thread of 400
 * messages): no reload of its history, the reader's place kept to within a
 * message, and the live feed resumed where it stopped, so a message posted
 * while they were away shows once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, signedInContext, waitLive } from './support/browser.ts';
import { createThread, postMessage, register, type Account, type WebServer } from './support/webServer.ts';
import { longThreadId, messageText, startServerWithLongThread } from './support/longThread.ts';
import { loadedMessageBodies } from './support/listContents.ts';

const count = 400;

/** The number n of the first "Message n:" whose row shows in the view. */
function firstVisible(page: Page): Promise<number> {
  return page.locator('.message-scroller').evaluate((scroller) => {
    const view = scroller.getBoundingClientRect();
    for (const row of scroller.querySelectorAll<HTMLElement>('.messages > li.message')) {
      const box = row.getBoundingClientRect();
      if (box.bottom > view.top) return Number(/Message (\d+):/.exec(row.textContent ?? '')?.[1] ?? -1);
    }
    return -1;
  });
}

function openFromList(page: Page, threadId: string) {
  return page.locator(`.thread-list li[data-thread-id="${threadId}"]`).getByRole('link').first().click();
}

describe('returning to a thread', () => {
  let server: WebServer;
  let browser: Browser;
  let ada: Account;
  let bob: Account;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServerWithLongThread(count), launchChromium()]);
    ada = await register(server, 'Ada');
    bob = await register(server, 'Bob');
  }, 120_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    await server?.stop();
  });

  it('shows the thread at once where the reader left it, without reloading its history, and with what was posted meanwhile exactly once', async () => {
    const other = await createThread(server, ada, 'Somewhere else');
    await postMessage(server, ada, other, 'A message elsewhere');
    context = await signedInContext(browser, server.baseUrl, bob);
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error('[browser]', error));
    // Loads of the long thread's newest page: the first open makes one; a return that reloaded would make another.
    const newestPageLoads: string[] = [];
    page.on('request', (request) => {
      const body = request.postData() ?? '';
      if (body.includes('query Thread(') && body.includes(longThreadId) && body.includes('"before":null')) newestPageLoads.push(body);
    });
    await page.goto(`/t/${longThreadId}`);
    await waitLive(page);
    await page.locator('.messages > li.message', { hasText: messageText(count - 1) }).waitFor({ timeout: 30_000 });

    // Read back into the history a little, past the first page.
    const scroller = page.locator('.message-scroller');
    for (let i = 0; i < 6; i++) {
      await scroller.evaluate((el) => el.scrollBy(0, -900));
      await page.waitForTimeout(250);
    }
    await expect.poll(() => firstVisible(page)).toBeGreaterThan(0);
    expect(newestPageLoads).toHaveLength(1);
    const place = await firstVisible(page);
    expect(place).toBeLessThan(count + 2 - 20);

    await openFromList(page, other);
    await page.getByRole('heading', { name: 'Somewhere else' }).waitFor();
    await page.locator('.messages > li.message', { hasText: 'A message elsewhere' }).waitFor();
    await postMessage(server, ada, longThreadId, 'Posted while Bob was away');

    await openFromList(page, longThreadId);
    await page.locator('.messages > li.message').first().waitFor();
    expect(await page.locator('.thread-view[aria-busy="true"]').count()).toBe(0);
    await expect.poll(() => firstVisible(page)).toBeGreaterThan(0);
    expect(Math.abs((await firstVisible(page)) - place)).toBeLessThanOrEqual(1);

    // The feed resumed where it stopped: the message posted meanwhile is there, once.
    await scroller.evaluate((el) => (el.scrollTop = el.scrollHeight));
    const away = page.locator('.messages > li.message', { hasText: 'Posted while Bob was away' });
    await away.waitFor({ timeout: 15_000 });
    expect(newestPageLoads).toHaveLength(1);
    // Once in everything loaded (the list draws only what is near the view, so it is read by scrolling through).
    expect((await loadedMessageBodies(page)).filter((body) => body === 'Posted while Bob was away')).toHaveLength(1);
  });
});
