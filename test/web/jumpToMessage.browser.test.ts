/**
 * Issue 16's "jump to any message" in a real browser (Debian's chromium)
 * against a real Thrds server: a quote of a message four pages back loads the
 * older pages (with a visible loading note), scrolls to it, highlights it and
 * focuses it (the list is virtualized: loaded is not the same as in the DOM); a link to a message opens its thread there; a link to a message
 * that is not there says so in plain words. Screenshots:
 * test-artifacts/screenshots/jump-*.png.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openThread, waitLive } from './support/browser.ts';
import { browserScene } from './support/scene.ts';
import { createThread, postMessage, type Account, type WebServer } from './support/webServer.ts';

/** A confirmed message by its own text (not by a reply quoting it). */
function messageWith(page: Page, text: string) {
  return page.locator('.messages > li.message:not(.pending)').filter({ has: page.locator('.message-body', { hasText: text }) });
}

async function reply(server: WebServer, account: Account, threadId: string, body: string, replyToId: string): Promise<string> {
  const data = await server.gql<{ postMessage: { message: { id: string } } }>(
    `mutation ($input: PostMessageInput!) { postMessage(input: $input) { message { id } } }`,
    { input: { threadId, body, replyToId } },
    account.token,
  );
  return data.postMessage.message.id;
}

/** A thread of `count` messages "Old note #00N" (1 is the oldest); returns the thread and the ids, oldest first. */
async function longThread(server: WebServer, account: Account, title: string, count: number): Promise<{ threadId: string; ids: string[] }> {
  const threadId = await createThread(server, account, title);
  const ids: string[] = [];
  for (let n = 1; n <= count; n++) ids.push(await postMessage(server, account, threadId, `Old note #${String(n).padStart(3, '0')}`));
  return { threadId, ids };
}

describe('jump to any message in the web app', () => {
  let server: WebServer;
  let ada: Account;
  let bob: Account;
  const scene = browserScene('jump', (ready) => ({ server, ada, bob } = ready));

  it('clicking the quote of a message 4 pages back loads the older pages, then scrolls to it, highlights it and focuses it', async () => {
    const { threadId, ids } = await longThread(server, ada, 'Long history', 200);
    await reply(server, bob, threadId, 'Answering the very first note', ids[0]!);
    const page = await scene.page(bob);
    // Slow each older page down a little, so the loading state is there to be seen.
    await page.route('**/graphql', async (route) => {
      const body = route.request().postData() ?? '';
      if (body.includes('"before":"')) await new Promise((r) => setTimeout(r, 150));
      await route.continue();
    });
    await openThread(page, threadId);
    await messageWith(page, 'Answering the very first note').waitFor();
    expect(await messageWith(page, 'Old note #001').count()).toBe(0);

    await messageWith(page, 'Answering the very first note').locator('.reply-quote').click();
    await page.locator('.jump-note', { hasText: 'Loading earlier messages' }).waitFor();
    const target = messageWith(page, 'Old note #001');
    await target.waitFor({ timeout: 15_000 });
    await expect.poll(() => target.evaluate((el) => el.classList.contains('jump-target'))).toBe(true);
    expect(await target.evaluate((el) => document.activeElement === el)).toBe(true);
    expect(await target.isVisible()).toBe(true);
    const box = await target.boundingBox();
    const scroller = await page.locator('.message-scroller').boundingBox();
    expect(box && scroller && box.y >= scroller.y && box.y + box.height <= scroller.y + scroller.height).toBe(true);
    // All 201 are loaded (the list draws only those near the view): from the top, nothing older is asked for.
    await page.locator('.message-scroller').evaluate((el) => (el.scrollTop = 0));
    await page.locator('.history-edge', { hasText: 'This is the start of the thread.' }).waitFor();
    expect(await page.locator('.jump-note').count()).toBe(0);
    await scene.snap(page, 'quote-loaded');
    // The highlight is brief.
    await expect.poll(() => target.evaluate((el) => el.classList.contains('jump-target')), { timeout: 5_000 }).toBe(false);

    // Asking again (the message is loaded now) highlights it again at once.
    await page.locator('.message-scroller').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await messageWith(page, 'Answering the very first note').locator('.reply-quote').click();
    await expect.poll(() => target.evaluate((el) => el.classList.contains('jump-target'))).toBe(true);
  });

  it('a link to a message opens its thread at that message, three pages back, and another person can open it too', async () => {
    const { threadId, ids } = await longThread(server, ada, 'Shared link', 160);
    const page = await scene.page(bob);
    await page.goto(`/t/${threadId}/m/${ids[9]}`);
    await waitLive(page);
    const target = messageWith(page, 'Old note #010');
    await target.waitFor({ timeout: 15_000 });
    await expect.poll(() => target.evaluate((el) => el.classList.contains('jump-target'))).toBe(true);
    expect(await target.isVisible()).toBe(true);
    expect(await page.getByRole('heading', { name: 'Shared link' }).isVisible()).toBe(true);
    // The thread list still marks the open thread.
    expect(await page.locator(`.thread-list li[data-thread-id="${threadId}"] [aria-current="page"]`).count()).toBe(1);
  });

  it('a link to a message that is not in the thread (no such id, a malformed one, another thread\'s message) shows a friendly note over the thread', async () => {
    const threadId = await createThread(server, ada, 'Short one');
    await postMessage(server, ada, threadId, 'Only message');
    const other = await createThread(server, ada, 'Elsewhere');
    const elsewhere = await postMessage(server, ada, other, 'In another thread');
    const page = await scene.page(bob);
    for (const missing of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', elsewhere]) {
      await page.goto(`/t/${threadId}/m/${missing}`);
      await page.locator('.jump-note', { hasText: 'That message is no longer here' }).waitFor();
      await messageWith(page, 'Only message').waitFor();
    }
    await scene.snap(page, 'missing');
    await page.getByRole('button', { name: 'Dismiss' }).click();
    expect(await page.locator('.jump-note').count()).toBe(0);
  });
});
