/**
 * Issue 13's unread counts and mentions in a real browser (Debian's
 * chromium) against a real Thrds server, on each store: Ada writes, Bob
 * reads, in two tabs. Bob's list shows the unread count (bold) and an "@"
 * for a mention of him, kept live by `myThreads`; the tab title starts with
 * "(N)" (N threads unread); opening the thread marks it read, shows the
 * "New" divider above the first message he had not read, and his other tab
 * follows; `@` in the composer completes his username from the keyboard; a
 * mention while his tab is hidden becomes a browser notification once he
 * allowed them. Screenshots: test-artifacts/screenshots/unread-*.png.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openThread, send, waitLive } from './support/browser.ts';
import { browserScene } from './support/scene.ts';
import { createThread, postMessage, register, type Account, type WebServer } from './support/webServer.ts';
import { storeKinds, type StoreKind } from '../support/databases.ts';

const kinds = await storeKinds();

describe.each(kinds)('unread and mentions in the web app (%s)', (kind: StoreKind) => {
  let server: WebServer;
  let ada: Account;
  let bob: Account;
  const scene = browserScene('unread', (ready) => ({ server, ada, bob } = ready), kind);

  async function secondTab(page: Page): Promise<Page> {
    const other = await scene.tab(page.context());
    await other.goto('/');
    await waitLive(other);
    return other;
  }

  async function pageAs(account: Account, options: { notifications?: boolean } = {}): Promise<Page> {
    const context = await scene.context(account);
    if (options.notifications) {
      await context.grantPermissions(['notifications'], { origin: server.baseUrl });
      await context.addInitScript(recordNotifications);
    }
    return scene.tab(context);
  }

  /** Screenshots named for the store too: the suite runs on each. */
  const snap = (page: Page, name: string) => scene.snap(page, `${name}-${kind}`);

  const listItem = (page: Page, threadId: string) => page.locator(`.thread-list li[data-thread-id="${threadId}"]`);
  const unreadBadge = (page: Page, threadId: string) => listItem(page, threadId).locator('.unread-badge');
  const mentionBadge = (page: Page, threadId: string) => listItem(page, threadId).locator('.mention-badge');

  async function markRead(account: Account, threadId: string): Promise<void> {
    const { thread } = await server.gql<{ thread: { position: string } }>(`query ($id: ID!) { thread(id: $id) { position } }`, { id: threadId }, account.token);
    await server.gql(`mutation ($input: MarkReadInput!) { markRead(input: $input) { id } }`, { input: { threadId, position: thread.position } }, account.token);
  }

  it('a post by Ada shows as unread in Bob\'s list live, bold with a count, and the tab title starts with (N)', async () => {
    const threadId = await createThread(server, ada, `Roadmap ${kind}`);
    await postMessage(server, ada, threadId, 'Read this first');
    await markRead(bob, threadId);
    const b = await pageAs(bob);
    await b.goto('/');
    await waitLive(b);
    await listItem(b, threadId).waitFor();
    expect(await unreadBadge(b, threadId).count()).toBe(0);
    await expect.poll(() => b.title()).toBe('Thrds');

    await postMessage(server, ada, threadId, 'Q3: presence');
    await postMessage(server, ada, threadId, 'Q4: unread counts');
    await expect.poll(() => unreadBadge(b, threadId).innerText(), { timeout: 5_000 }).toContain('2');
    expect(await listItem(b, threadId).locator('.thread-link').getAttribute('class')).toContain('unread');
    expect(await listItem(b, threadId).locator('.thread-title').evaluate((el) => Number(getComputedStyle(el).fontWeight))).toBeGreaterThanOrEqual(700);
    await expect.poll(() => b.title()).toBe('(1) Thrds');
    await snap(b, 'list');
    // Bob's second tab, opened now, shows the same.
    const b2 = await secondTab(b);
    await expect.poll(() => unreadBadge(b2, threadId).innerText(), { timeout: 5_000 }).toContain('2');
    await expect.poll(() => b2.title()).toBe('(1) Thrds');

    // Opening it: the divider sits above the first message he had not read, and the thread is marked read.
    await b.locator(`.thread-list li[data-thread-id="${threadId}"] a`).click();
    await b.locator('.thread-view[aria-labelledby]').waitFor();
    const divider = b.locator('.messages .new-divider');
    await divider.waitFor({ timeout: 5_000 });
    const afterDivider = await divider.evaluate((el) => el.nextElementSibling?.querySelector('.message-body')?.textContent ?? null);
    expect(afterDivider).toBe('Q3: presence');
    await expect.poll(() => unreadBadge(b, threadId).count(), { timeout: 5_000 }).toBe(0);
    await expect.poll(() => b.title()).toBe(`Roadmap ${kind} · Thrds`);
    await snap(b, 'new-divider');
    // The read reaches his other tab live (a READ update on myThreads).
    await expect.poll(() => unreadBadge(b2, threadId).count(), { timeout: 5_000 }).toBe(0);
    await expect.poll(() => b2.title()).toBe('Thrds');

    // A new message while he stays does not move the divider, and is read at once.
    await postMessage(server, ada, threadId, 'Q1 next year: search');
    await b.locator('.messages .message-body', { hasText: 'Q1 next year' }).waitFor({ timeout: 5_000 });
    expect(await divider.count()).toBe(1);
    expect(await divider.evaluate((el) => el.nextElementSibling?.querySelector('.message-body')?.textContent ?? null)).toBe('Q3: presence');
    await expect.poll(async () => {
      const { thread } = await server.gql<{ thread: { unreadCount: number } }>(`query ($id: ID!) { thread(id: $id) { unreadCount } }`, { id: threadId }, bob.token);
      return thread.unreadCount;
    }, { timeout: 5_000 }).toBe(0);
  });

  it('@ in the composer completes usernames from the keyboard (Enter, or ↓ then Tab); Bob gets an @ badge and the mention is highlighted for him', async () => {
    const threadId = await createThread(server, ada, `Reviews ${kind}`);
    const carol = await register(server, 'Carol');
    await postMessage(server, carol, threadId, 'I can review too');
    await postMessage(server, bob, threadId, 'Who reviews my branch?');
    await markRead(bob, threadId);
    const [a, b] = await Promise.all([pageAs(ada), pageAs(bob)]);
    await b.goto('/');
    await waitLive(b);
    await openThread(a, threadId);

    const box = a.getByRole('textbox', { name: 'Message' });
    await box.focus();
    await a.keyboard.type('Sure @bo');
    const options = a.getByRole('listbox', { name: 'People to mention' });
    await options.waitFor();
    expect(await options.getByRole('option').first().innerText()).toContain(`@${bob.username}`);
    expect(await options.getByRole('option').first().getAttribute('aria-selected')).toBe('true');
    await snap(a, 'mention-completion');
    await a.keyboard.press('Enter');
    await expect.poll(() => box.inputValue()).toBe(`Sure @${bob.username} `);
    expect(await options.count()).toBe(0);

    // A bare @ offers everyone known (the thread's authors, people online); ↓ moves, Tab picks.
    await a.keyboard.type('and @');
    await options.waitFor();
    expect(await options.getByRole('option').allInnerTexts()).toEqual([`Bob @${bob.username}`, `Carol @${carol.username}`]);
    await a.keyboard.press('ArrowDown');
    expect(await options.getByRole('option').nth(1).getAttribute('aria-selected')).toBe('true');
    await a.keyboard.press('Tab');
    await expect.poll(() => box.inputValue()).toBe(`Sure @${bob.username} and @${carol.username} `);

    // Escape closes the list without touching the text; Enter then sends.
    await a.keyboard.type('after lunch @b');
    await options.waitFor();
    await a.keyboard.press('Escape');
    expect(await options.count()).toBe(0);
    await a.keyboard.press('Backspace');
    await a.keyboard.press('Backspace');
    await a.keyboard.press('Enter');
    await a.locator('.messages .message-body', { hasText: 'after lunch' }).waitFor();

    await expect.poll(() => mentionBadge(b, threadId).count(), { timeout: 5_000 }).toBe(1);
    expect(await unreadBadge(b, threadId).innerText()).toContain('1');
    await snap(b, 'mention-badge');

    await b.locator(`.thread-list li[data-thread-id="${threadId}"] a`).click();
    const mention = b.locator('.messages .mention.me');
    await mention.waitFor({ timeout: 5_000 });
    expect(await mention.innerText()).toBe(`@${bob.username}`);
    expect(await b.locator('.message.mentions-me').count()).toBe(1);
    await expect.poll(() => mentionBadge(b, threadId).count(), { timeout: 5_000 }).toBe(0);
    await snap(b, 'mention-highlight');
  });

  it('a mention while Bob\'s tab is hidden becomes a browser notification, once he allowed them', async () => {
    const threadId = await createThread(server, ada, `Incidents ${kind}`);
    const b = await pageAs(bob, { notifications: true });
    await b.goto('/');
    await waitLive(b);
    // Permission already granted: nothing left to enable.
    expect(await b.getByRole('button', { name: 'Enable notifications' }).count()).toBe(0);
    await listItem(b, threadId).waitFor();

    // Visible: no notification for a mention.
    await postMessage(server, ada, threadId, `@${bob.username} visible ping`);
    await expect.poll(() => mentionBadge(b, threadId).count(), { timeout: 5_000 }).toBe(1);
    await b.evaluate(() => (window as unknown as TestWindow).__setHidden(true));
    await postMessage(server, ada, threadId, `@${bob.username} the database is on fire`);
    await expect.poll(() => b.evaluate(() => (window as unknown as TestWindow).__notifications), { timeout: 5_000 }).toEqual([
      { title: `Ada mentioned you in Incidents ${kind}`, body: `@${bob.username} the database is on fire` },
    ]);
  });

  it('posts made while Bob was offline show as unread once he is back (myThreads does not replay: the list asks again)', async () => {
    const threadId = await createThread(server, ada, `Offline ${kind}`);
    await markRead(bob, threadId);
    const b = await pageAs(bob);
    await b.goto('/');
    await waitLive(b);
    await listItem(b, threadId).waitFor();
    await b.context().setOffline(true);
    await b.locator('.connection[data-state="offline"]').waitFor();
    await postMessage(server, ada, threadId, `@${bob.username} are you there?`);
    await postMessage(server, ada, threadId, 'ping');
    await b.context().setOffline(false);
    await waitLive(b);
    await expect.poll(() => unreadBadge(b, threadId).innerText(), { timeout: 5_000 }).toContain('2');
    expect(await mentionBadge(b, threadId).count()).toBe(1);
  });

  it('without permission, the header offers "Enable notifications"', async () => {
    const b = await pageAs(bob);
    await b.goto('/');
    await waitLive(b);
    await b.getByRole('button', { name: 'Enable notifications' }).waitFor();
  });
});

interface TestWindow {
  __notifications: { title: string; body: string | undefined }[];
  __setHidden(hidden: boolean): void;
}

/** Runs in the page before the app: records notifications instead of showing them, and lets the test hide the tab. */
function recordNotifications(): void {
  const w = window as unknown as TestWindow & { Notification: typeof Notification };
  let hidden = false;
  Object.defineProperty(Document.prototype, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
  Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get: () => hidden });
  w.__setHidden = (value) => {
    hidden = value;
    document.dispatchEvent(new Event('visibilitychange'));
  };
  w.__notifications = [];
  const Real = w.Notification;
  class Recorded extends EventTarget {
    static get permission() {
      return Real.permission;
    }
    static requestPermission() {
      return Real.requestPermission();
    }
    onclick: (() => void) | null = null;
    constructor(title: string, options?: NotificationOptions) {
      super();
      w.__notifications.push({ title, body: options?.body });
    }
    close() {}
  }
  w.Notification = Recorded as unknown as typeof Notification;
}
