/**
 * The offline outbox (issue 16, item 1) in a real browser against a real
 * server: messages written offline wait ("Waiting for connection"), are kept
 * in the browser across a closed tab, and go out by themselves when the
 * connection is back, under their original idempotency keys, in order and
 * exactly once as another person sees them; a refusal that is not a network
 * failure stays shown with the server's words.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { desktop, messageBodies, openThread, phone, screenshotPath, send, waitLive } from './support/browser.ts';
import { createThread, register, type Account, type WebServer } from './support/webServer.ts';
import { browserScene } from './support/scene.ts';

let server: WebServer;
const scene = browserScene('outbox', (s) => ({ server } = s));
const pageAs = (account: Account, viewport = desktop): Promise<Page> => scene.page(account, viewport);

/** The keys of the PostMessage requests the page sends, in order. */
function recordPostKeys(page: Page): string[] {
  const keys: string[] = [];
  page.on('request', (request) => {
    if (!request.url().endsWith('/graphql') || request.method() !== 'POST') return;
    const payload = request.postDataJSON() as { operationName?: string; variables?: { input?: { idempotencyKey?: string } } } | null;
    if (payload?.operationName === 'PostMessage') keys.push(payload.variables?.input?.idempotencyKey ?? '');
  });
  return keys;
}

/** What the page keeps in its outbox for `account`: [idempotency key, body] in order. */
function storedOutbox(page: Page, account: Account): Promise<[string, string][]> {
  return page.evaluate((userId) => {
    const entries = JSON.parse(localStorage.getItem(`thrds.outbox.${userId}`) ?? '[]') as { key: string; body: string }[];
    return entries.map((e): [string, string] => [e.key, e.body]);
  }, account.userId);
}

function waitingItems(page: Page) {
  return page.locator('.messages > li.pending[data-status="offline"]');
}

async function messageCount(threadId: string): Promise<number> {
  const data = await server.gql<{ thread: { messageCount: number } }>(`query ($id: ID!) { thread(id: $id) { messageCount } }`, { id: threadId });
  return data.thread.messageCount;
}

describe('offline outbox', () => {
  it('messages written offline wait, then go by themselves on coming back: once each, in order, in the other window', async () => {
    const [ada, bob] = await Promise.all([register(server, 'Ada'), register(server, 'Bob')]);
    const threadId = await createThread(server, ada, 'Written on a train');
    const [a, b] = await Promise.all([pageAs(ada), pageAs(bob)]);
    const keys = recordPostKeys(a);
    await Promise.all([openThread(a, threadId), openThread(b, threadId)]);

    await a.context().setOffline(true);
    await a.locator('.connection[data-state="offline"]').waitFor();
    await send(a, 'first, from the tunnel');
    await send(a, 'second, still in it');
    await expect.poll(() => waitingItems(a).allInnerTexts()).toEqual([expect.stringContaining('first, from the tunnel'), expect.stringContaining('second, still in it')]);
    await expect(waitingItems(a).first().locator('.message-time').innerText()).resolves.toBe('Waiting for connection');
    expect(await a.locator('.messages > li.pending[data-status="failed"]').count()).toBe(0);
    const stored = await storedOutbox(a, ada);
    expect(stored.map(([, body]) => body)).toEqual(['first, from the tunnel', 'second, still in it']);

    await a.context().setOffline(false);
    await waitLive(a);
    const expected = ['first, from the tunnel', 'second, still in it'];
    await expect.poll(() => messageBodies(b), { timeout: 15_000 }).toEqual(expected);
    await expect.poll(() => messageBodies(a), { timeout: 15_000 }).toEqual(expected);
    await expect.poll(() => a.locator('.messages > li.pending').count()).toBe(0);
    await expect.poll(() => storedOutbox(a, ada)).toEqual([]);

    // Sent under the keys they were given offline, in the order written (a try that did not reach the server may repeat a key, never change it).
    expect([...new Set(keys)]).toEqual(stored.map(([key]) => key));
    expect(await messageCount(threadId)).toBe(2);
    expect(await messageBodies(b)).toEqual(expected);
  });

  it('a tab closed while offline leaves its messages in the outbox; the next tab sends them with their original keys', async () => {
    const [ada, bob] = await Promise.all([register(server, 'Ada'), register(server, 'Bob')]);
    const threadId = await createThread(server, ada, 'Closed the laptop');
    const [a, b] = await Promise.all([pageAs(ada), pageAs(bob)]);
    await Promise.all([openThread(a, threadId), openThread(b, threadId)]);

    await a.context().setOffline(true);
    await a.locator('.connection[data-state="offline"]').waitFor();
    await send(a, 'kept one');
    await send(a, 'kept two');
    await expect.poll(() => waitingItems(a).count()).toBe(2);
    const stored = await storedOutbox(a, ada);
    expect(stored.map(([, body]) => body)).toEqual(['kept one', 'kept two']);
    await a.close();

    await a.context().setOffline(false);
    const again = await scene.tab(a.context());
    const keys = recordPostKeys(again);
    await openThread(again, threadId);

    const expected = ['kept one', 'kept two'];
    await expect.poll(() => messageBodies(b), { timeout: 15_000 }).toEqual(expected);
    await expect.poll(() => messageBodies(again), { timeout: 15_000 }).toEqual(expected);
    await expect.poll(() => again.locator('.messages > li.pending').count()).toBe(0);
    await expect.poll(() => storedOutbox(again, ada)).toEqual([]);
    expect([...new Set(keys)]).toEqual(stored.map(([key]) => key));
    expect(await messageCount(threadId)).toBe(2);
  });

  it('a send whose answer is lost on the way back is not shown as failed, is only ever sent under its one key, and the other window shows it once', async () => {
    const [ada, bob] = await Promise.all([register(server, 'Ada'), register(server, 'Bob')]);
    const threadId = await createThread(server, ada, 'Lossy link');
    const [a, b] = await Promise.all([pageAs(ada), pageAs(bob)]);
    await Promise.all([openThread(a, threadId), openThread(b, threadId)]);

    const keys: string[] = [];
    let answered = false;
    await a.route('**/graphql', async (route) => {
      const payload = route.request().postDataJSON() as { operationName?: string; variables?: { input?: { idempotencyKey?: string } } } | null;
      if (payload?.operationName !== 'PostMessage') return route.fallback();
      keys.push(payload.variables?.input?.idempotencyKey ?? '');
      if (answered) return route.fallback();
      // The server takes the message; the browser never hears back.
      await route.fetch();
      answered = true;
      return route.abort('connectionreset');
    });

    await send(a, 'did this go?');
    await expect.poll(() => messageBodies(b), { timeout: 15_000 }).toEqual(['did this go?']);
    // Settled by the live feed or by a second try under the same key: never "Not sent", never twice.
    await expect.poll(() => a.locator('.messages > li.pending').count(), { timeout: 15_000 }).toBe(0);
    expect(await a.locator('.messages > li.pending[data-status="failed"]').count()).toBe(0);
    expect(new Set(keys).size).toBe(1);
    expect(await messageBodies(a)).toEqual(['did this go?']);
    expect(await messageBodies(b)).toEqual(['did this go?']);
    expect(await messageCount(threadId)).toBe(1);
  });

  it('a refusal that is not a network failure stays shown with the server’s words and can be discarded', async () => {
    const ada = await register(server, 'Ada');
    const threadId = await createThread(server, ada, 'Not allowed');
    const a = await pageAs(ada);
    await openThread(a, threadId);
    await a.route('**/graphql', async (route) => {
      const payload = route.request().postDataJSON() as { operationName?: string } | null;
      if (payload?.operationName !== 'PostMessage') return route.fallback();
      return route.fulfill({
        contentType: 'application/json',
        body: JSON.stringify({ data: null, errors: [{ message: 'You may not post here.', extensions: { code: 'FORBIDDEN' } }] }),
      });
    });

    await send(a, 'refused words');
    const failed = a.locator('.messages > li.pending[data-status="failed"]', { hasText: 'refused words' });
    await failed.waitFor({ timeout: 15_000 });
    await expect(failed.locator('.message-time').innerText()).resolves.toBe('Not sent: You may not post here.');
    expect(await waitingItems(a).count()).toBe(0);
    // Kept across a reload, still refused rather than sent again.
    await a.reload();
    await failed.waitFor({ timeout: 15_000 });
    await expect(failed.locator('.message-time').innerText()).resolves.toBe('Not sent: You may not post here.');
    await failed.getByRole('button', { name: 'Discard' }).click();
    await expect.poll(() => a.locator('.messages > li.pending').count()).toBe(0);
    await expect.poll(() => storedOutbox(a, ada)).toEqual([]);
    expect(await messageCount(threadId)).toBe(0);
  });

  it('screenshots: waiting for connection, in light and dark, desktop and phone', async () => {
    const ada = await register(server, 'Ada');
    const threadId = await createThread(server, ada, 'Outbox screenshots');
    for (const [name, viewport] of [['desktop', desktop], ['phone', phone]] as const) {
      for (const scheme of ['light', 'dark'] as const) {
        const page = await pageAs(ada, viewport);
        await page.emulateMedia({ colorScheme: scheme });
        await openThread(page, threadId);
        await page.context().setOffline(true);
        await page.locator('.connection[data-state="offline"]').waitFor();
        await send(page, `written offline (${name}, ${scheme})`);
        await waitingItems(page).first().waitFor();
        await page.screenshot({ path: screenshotPath(`outbox-waiting-${name}-${scheme}`) });
        // Nothing may be sent from here, so the waiting message is discarded before the page goes. Closing
        // a page (or leaving it) lifts the offline emulation while the app still runs: it hears `online`
        // and sends its outbox, unseen by the page's request events (3 runs of 20 here, and in CI).
        await waitingItems(page).first().getByRole('button', { name: 'Discard' }).click();
        await expect.poll(() => page.locator('.messages > li.pending').count()).toBe(0);
        await expect.poll(() => storedOutbox(page, ada)).toEqual([]);
        const context = page.context();
        await page.close();
        await context.close();
      }
    }
    expect(await messageCount(threadId)).toBe(0);
  });
});
