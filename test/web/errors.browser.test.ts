/**
 * Honest errors (issue 16, item 4) in a real browser against a real server:
 * a thread list, thread or search that failed says so in plain words with
 * "Try again", which works, and tries again by itself when the connection
 * comes back; POSTs refused while the socket is up turn the indicator to
 * "Server trouble", never "Live", until they are answered again; an unknown
 * or malformed thread id gets a friendly text and a way back, never the
 * server's words. Failures are made with playwright's route() on /graphql
 * (the contexts block service workers, so every request is routed; the app
 * shell has its own suite). Screenshots: test-artifacts/screenshots/errors-*.png.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { desktop, phone, signedInContext, waitLive } from './support/browser.ts';
import { browserScene } from './support/scene.ts';
import { createThread, postMessage, type Account, type WebServer } from './support/webServer.ts';

let server: WebServer;
let browser: Browser;
let ada: Account;
const scene = browserScene('errors', (s) => ({ server, browser, ada } = s));
const contexts: BrowserContext[] = [];
afterAll(() => Promise.all(contexts.map((c) => c.close().catch(() => undefined))));

/** A signed-in tab of `account` (its context blocks service workers, so route() sees every request). */
async function routedPage(account: Account, viewport = desktop): Promise<Page> {
  const context = await signedInContext(browser, server.baseUrl, account, viewport);
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('[browser]', error));
  return page;
}

function operationOf(route: Route): string | undefined {
  return (route.request().postDataJSON() as { operationName?: string } | null)?.operationName;
}

/** What the server answers in an outage, with a long Retry-After so only the reader or a reconnect retries. */
function outage(route: Route): Promise<void> {
  return route.fulfill({
    status: 503,
    contentType: 'application/json',
    headers: { 'retry-after': '60' },
    body: JSON.stringify({ errors: [{ message: 'The store is not answering (raw server words)', extensions: { code: 'UNAVAILABLE', retryAfter: 60 } }] }),
  });
}

/**
 * Fails the named operations with an outage; `heal(names)` lets those through again, `stop()` all.
 * The connection probe ('Probe') is among them where a test must see its click, not a reconnect, load.
 */
async function failOperations(page: Page, names: readonly string[]): Promise<{ heal(healed: readonly string[]): void; stop(): Promise<void> }> {
  const failing = new Set(names);
  const handler = (route: Route) => (failing.has(operationOf(route) ?? '') ? outage(route) : route.fallback());
  await page.route('**/graphql', handler);
  return {
    heal: (healed) => healed.forEach((name) => failing.delete(name)),
    stop: () => page.unroute('**/graphql', handler),
  };
}

const indicator = (page: Page) => page.locator('.connection');
const threadLinks = (page: Page) => page.locator('.thread-list a.thread-link');

describe('honest errors', () => {
  it('a thread list that failed to load says so with "Try again", and the button loads it', async () => {
    const title = `Failing list ${Date.now()}`;
    await createThread(server, ada, title);
    for (const viewport of [desktop, phone]) {
      const page = await routedPage(ada, viewport);
      // The probe fails too, so the indicator never turns live (a live turn reloads the list): only the click can.
      const outages = await failOperations(page, ['Threads', 'Probe']);
      await page.goto('/');
      const failure = page.locator('.sidebar .load-error');
      await failure.waitFor();
      expect(await failure.locator('.load-error-text').innerText()).toBe('The threads could not be loaded. Thrds is having trouble right now.');
      expect(await page.locator('body').innerText()).not.toContain('raw server words');
      await expect.poll(() => indicator(page).getAttribute('data-state')).toBe('trouble');
      expect(await indicator(page).innerText()).toBe('Server trouble');
      await scene.snap(page, viewport === phone ? 'thread-list-phone' : 'thread-list-desktop');

      outages.heal(['Threads']);
      await failure.getByRole('button', { name: 'Try again' }).click();
      await threadLinks(page).filter({ hasText: title }).waitFor();
      expect(await failure.count()).toBe(0);
      await outages.stop();
      await waitLive(page);
      await page.close();
    }
  });

  it('a failed thread list tries again by itself when the connection comes back', async () => {
    const title = `Comes back ${Date.now()}`;
    await createThread(server, ada, title);
    const page = await routedPage(ada);
    const outages = await failOperations(page, ['Threads']);
    await page.goto('/');
    await page.locator('.sidebar .load-error').waitFor();

    await page.context().setOffline(true);
    await page.locator('.connection[data-state="offline"]').waitFor();
    await outages.stop();
    await page.context().setOffline(false);
    // Nobody clicks: the reconnect asks again (the outage's Retry-After of 60 s is far away).
    await threadLinks(page).filter({ hasText: title }).waitFor({ timeout: 30_000 });
    expect(await page.locator('.sidebar .load-error').count()).toBe(0);
  });

  it('a failed search says so with "Try again", and runs again by itself when the connection comes back', async () => {
    const threadId = await createThread(server, ada, `Searched ${Date.now()}`);
    await postMessage(server, ada, threadId, 'the quokka census is done');
    const page = await routedPage(ada);
    await page.goto('/');
    await waitLive(page);
    const outages = await failOperations(page, ['Search']);
    const box = page.getByRole('searchbox', { name: 'Search messages' });
    await box.fill('quokka');
    await box.press('Enter');
    const status = page.locator('.search-status.error');
    await status.waitFor();
    expect(await status.getByRole('button', { name: 'Try again' }).count()).toBe(1);

    await page.context().setOffline(true);
    await page.locator('.connection[data-state="offline"]').waitFor();
    await outages.stop();
    await page.context().setOffline(false);
    await page.locator('.search-result').filter({ hasText: 'quokka census' }).waitFor({ timeout: 30_000 });
    expect(await status.count()).toBe(0);
  });

  it('an opened thread that failed to load offers "Try again" and a way back, and loads on the click', async () => {
    const title = `Failing thread ${Date.now()}`;
    const threadId = await createThread(server, ada, title);
    const page = await routedPage(ada);
    const outages = await failOperations(page, ['Thread', 'Probe']);
    await page.goto(`/t/${threadId}`);
    const failure = page.locator('.thread-view .load-error');
    await failure.waitFor();
    expect(await failure.locator('.load-error-text').innerText()).toBe('This thread could not be loaded. Thrds is having trouble right now.');
    expect(await failure.getByRole('link', { name: 'Back to threads' }).getAttribute('href')).toBe('/');
    await scene.snap(page, 'thread-desktop');

    outages.heal(['Thread']);
    await failure.getByRole('button', { name: 'Try again' }).click();
    await expect.poll(() => page.locator('#thread-title').innerText()).toBe(title);
    await outages.stop();
  });

  it('POSTs refused while the socket is up show "Server trouble", not Live, until the server answers again', async () => {
    const threadId = await createThread(server, ada, `Refused ${Date.now()}`);
    const page = await routedPage(ada);
    await page.goto(`/t/${threadId}`);
    await page.locator('.thread-view[aria-labelledby]').waitFor();
    await waitLive(page);

    const refuse = (route: Route) => route.fulfill({ status: 503, contentType: 'text/plain', body: 'Service Unavailable' });
    await page.route('**/graphql', refuse);
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill('this one is refused');
    await box.press('Enter');
    await expect.poll(() => indicator(page).getAttribute('data-state')).toBe('trouble');
    // The socket stays up all along, and the probes keep being refused: still not Live a while later.
    await page.waitForRequest((request) => request.url().endsWith('/graphql') && request.postData()?.includes('"operationName":"Probe"') === true, { timeout: 15_000 });
    expect(await indicator(page).getAttribute('data-state')).toBe('trouble');
    await scene.snap(page, 'server-trouble');

    await page.unroute('**/graphql', refuse);
    await waitLive(page);
  });

  it('an unknown thread and a malformed thread id get a friendly text and a way back, never the server words', async () => {
    const page = await routedPage(ada);
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-thread-id']) {
      await page.goto(`/t/${id}`);
      const failure = page.locator('.thread-view .load-error');
      await failure.waitFor();
      expect(await failure.locator('.load-error-text').innerText()).toBe("This thread doesn't exist or was removed.");
      expect(await failure.getByRole('button', { name: 'Try again' }).count()).toBe(0);
      expect(await page.locator('main').innerText()).not.toMatch(/valid id|not found/i);
      await failure.getByRole('link', { name: 'Back to threads' }).click();
      await expect.poll(() => new URL(page.url()).pathname).toBe('/');
    }
    await page.goto('/t/not-a-thread-id');
    await page.locator('.thread-view .load-error').waitFor();
    await scene.snap(page, 'not-found');
  });
});
