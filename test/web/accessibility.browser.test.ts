/**
 * Accessibility in a real browser (issue 16, item 6): axe-core finds nothing
 * serious or critical on any screen, at desktop and phone width, in light
 * and dark; the keyboard gets from the thread list to the composer in a few
 * presses, skip links and shortcuts work, and signing in puts focus where
 * the next thing is typed.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { desktop, openThread, phone, waitLive } from './support/browser.ts';
import { createThread, postMessage, register, type Account, type WebServer } from './support/webServer.ts';
import { browserScene } from './support/scene.ts';
import { audit, seriousOnly, type AxeFinding } from './support/axe.ts';

let server: WebServer;
let browser: Browser;
let ada: Account;
let bob: Account;
const scene = browserScene('a11y', (s) => ({ server, browser, ada, bob } = s));
const viewports = { desktop, phone } as const;

/** A page with nobody signed in. */
async function signedOutPage(viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.baseUrl, viewport, colorScheme: 'light' });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('[browser]', error));
  page.on('close', () => void context.close());
  return page;
}

/** A thread with what a message can carry: a reply (quote), a reaction, an edit, a deletion, a grouped line, Markdown. */
async function richThread(title: string): Promise<string> {
  const threadId = await createThread(server, ada, title);
  const first = await postMessage(server, ada, threadId, 'Hello everyone, the plan is in the doc.');
  await postMessage(server, ada, threadId, 'A second line from me, grouped under the first.');
  const edited = await postMessage(server, bob, threadId, 'first version');
  await server.gql(`mutation ($input: EditMessageInput!) { editMessage(input: $input) { position } }`, { input: { messageId: edited, body: 'Thanks, read it: **looks good** and [here is a link](https://example.com).' } }, bob.token);
  await server.gql(`mutation ($input: PostMessageInput!) { postMessage(input: $input) { message { id } } }`, { input: { threadId, body: 'Answering you, Ada.', replyToId: first } }, bob.token);
  await server.gql(`mutation ($input: AddReactionInput!) { addReaction(input: $input) { position } }`, { input: { messageId: first, emoji: '🎉' } }, bob.token);
  const gone = await postMessage(server, bob, threadId, 'Posted by mistake');
  await server.gql(`mutation ($input: DeleteMessageInput!) { deleteMessage(input: $input) { messageId } }`, { input: { messageId: gone } }, bob.token);
  await postMessage(server, ada, threadId, 'Last one, with `code` in it.');
  return threadId;
}

function report(findings: readonly AxeFinding[]): string[] {
  return seriousOnly(findings).map((f) => `${f.screen}: ${f.impact} ${f.id} (${f.help}) at ${f.targets.slice(0, 3).join(', ')}`);
}

describe('axe-core on every screen', () => {
  // First: the store has no threads yet, so the empty list is seen as a new user sees it.
  it('sign-in (also refused), registration and the empty thread list have no serious or critical violation, desktop and phone, light and dark', async () => {
    const findings: AxeFinding[] = [];
    for (const [size, viewport] of Object.entries(viewports)) {
      const out = await signedOutPage(viewport);
      await out.goto('/');
      await out.getByRole('heading', { name: 'Sign in' }).waitFor();
      findings.push(...(await audit(out, `sign-in-${size}`)));
      await out.getByLabel('Username').fill('nobody_here');
      await out.getByLabel('Password').fill('wrong password');
      await out.getByRole('button', { name: 'Sign in', exact: true }).click();
      await out.getByRole('alert').waitFor({ timeout: 15_000 });
      findings.push(...(await audit(out, `sign-in-error-${size}`)));
      await out.getByRole('button', { name: 'Create an account' }).click();
      await out.getByRole('heading', { name: 'Create an account' }).waitFor();
      findings.push(...(await audit(out, `register-${size}`)));
      await out.close();

      const page = await scene.page(ada, viewport);
      await page.goto('/');
      await waitLive(page);
      await page.getByText('No threads yet').waitFor();
      findings.push(...(await audit(page, `threads-empty-${size}`)));
    }
    expect(report(findings)).toEqual([]);
  }, 240_000);

  // One test per width: each audits seven screens twice (light, dark), which takes a while on a loaded machine.
  for (const [size, viewport] of Object.entries(viewports)) {
    it(`${size}: the thread list, a thread with replies, reactions, edits and a deletion, its actions menu, search, the bots menu, the shortcuts sheet and a missing thread have no serious or critical violation`, async () => {
      const threadId = await richThread(`Accessible thread (${size})`);
      await createThread(server, bob, `Another thread (${size})`);
      const findings: AxeFinding[] = [];
      const page = await scene.page(ada, viewport);
      await page.goto('/');
      await waitLive(page);
      await page.locator('.thread-list li').nth(1).waitFor();
      findings.push(...(await audit(page, `threads-${size}`)));

      await openThread(page, threadId);
      await page.locator('.message.deleted').waitFor();
      await page.locator('.reaction').first().waitFor();
      findings.push(...(await audit(page, `thread-${size}`)));

      const last = page.locator('.messages > li.message').last();
      await last.hover();
      await last.getByRole('button', { name: 'Message actions' }).click();
      await page.getByRole('menu').waitFor();
      findings.push(...(await audit(page, `actions-menu-${size}`)));
      await page.keyboard.press('Escape');
      await expect.poll(() => page.getByRole('menu').count()).toBe(0);

      await page.getByRole('button', { name: 'Bots' }).click();
      await page.getByRole('region', { name: 'Bots of this thread' }).waitFor();
      findings.push(...(await audit(page, `bots-menu-${size}`)));
      await page.getByRole('button', { name: 'Bots' }).click();

      await page.locator('.composer textarea').focus();
      await page.keyboard.press('Tab');
      await page.keyboard.press('?');
      await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
      findings.push(...(await audit(page, `shortcuts-${size}`)));
      await page.keyboard.press('Escape');

      await page.goto('/');
      await waitLive(page);
      await page.keyboard.press('/');
      await page.keyboard.type('plan');
      await page.locator('.search-result').first().waitFor({ timeout: 15_000 });
      findings.push(...(await audit(page, `search-${size}`)));

      await page.goto(`/t/${randomUUID()}`);
      await page.getByText("This thread doesn't exist or was removed.").waitFor({ timeout: 15_000 });
      findings.push(...(await audit(page, `not-found-${size}`)));
      expect(report(findings)).toEqual([]);
    }, 240_000);
  }
});

/** Nothing focused: keys go to the page. */
const blur = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

describe('the keyboard', () => {
  /** What has focus, as a short description. */
  const focused = (page: Page) =>
    page.evaluate(() => {
      const el = document.activeElement;
      return el ? `${el.tagName.toLowerCase()}${el.getAttribute('aria-label') ? `[${el.getAttribute('aria-label')}]` : ''}${el.textContent ? ` ${el.textContent.trim().slice(0, 30)}` : ''}` : 'none';
    });

  it('from the last stop in the thread list to the composer takes at most 5 Tab presses, whatever the number of messages', async () => {
    const threadId = await richThread('Tab count');
    for (let i = 0; i < 12; i++) await postMessage(server, i % 2 ? ada : bob, threadId, `Message number ${i}`);
    const page = await scene.page(ada);
    await openThread(page, threadId);
    await expect.poll(() => page.locator('.messages > li.message').count()).toBeGreaterThanOrEqual(10); // a screenful and more, each with its own links and buttons
    // The sidebar's last focusable element: what Tab leaves the thread list from.
    await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('nav.sidebar a[href], nav.sidebar button:not([disabled]), nav.sidebar input')].at(-1)?.focus());
    const path: string[] = [];
    for (let presses = 1; presses <= 30; presses++) {
      await page.keyboard.press('Tab');
      path.push(await focused(page));
      if (await page.evaluate(() => document.activeElement?.matches('.composer textarea') ?? false)) break;
    }
    console.log(`Tab path from the thread list to the composer: ${path.join(' → ')}`);
    expect(path.at(-1)).toMatch(/^textarea/);
    expect(path.length).toBeLessThanOrEqual(5);
  });

  it('the skip links come first in the tab order and move focus to the messages and to the composer', async () => {
    const threadId = await richThread('Skipping');
    const page = await scene.page(ada);
    await openThread(page, threadId);
    // The list stays hidden until Virtuoso has measured the rows it drew; Tab skips what is hidden.
    await page.locator('.messages > li.message').last().waitFor({ state: 'visible' });
    // Back from the first control of the page (the brand link): the skip links are all that comes before it.
    const brand = page.locator('.topbar .brand a');
    await brand.focus();
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toBe('a Skip to composer');
    await expect(page.getByRole('link', { name: 'Skip to composer' }).isVisible()).resolves.toBe(true);
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toBe('a Skip to messages');
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => document.activeElement === document.body || document.activeElement === null)).toBe(true);

    await brand.focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('log');
    // From there, Tab goes on into the messages.
    await page.keyboard.press('Tab');
    // Named when it fails: where focus went instead.
    const where = await page.evaluate(() => (document.activeElement?.closest('.messages > li.message') ? 'in a message' : (document.activeElement?.outerHTML.slice(0, 160) ?? 'nothing')));
    expect(where).toBe('in a message');
    await brand.focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.matches('.composer textarea'))).toBe(true);
  });

  it('the active message\'s links are the Tab stops right after it; other messages\' links are not Tab stops', async () => {
    const threadId = await richThread('Links by keyboard');
    const page = await scene.page(ada);
    await openThread(page, threadId);
    await page.locator('.messages > li.message').last().waitFor({ state: 'visible' });
    const link = page.getByRole('link', { name: 'here is a link' });
    // Not the active message: its link is out of the tab order.
    expect(await link.getAttribute('tabindex')).toBe('-1');
    // Into the list (the last message is active), then up with the arrow keys to the message with the link.
    await page.locator('.messages > li.message').last().focus();
    const activeText = () => page.evaluate(() => (document.activeElement?.matches('.messages > li.message[tabindex="0"]') ? (document.activeElement.textContent ?? '') : 'not a message'));
    for (let i = 0; i < 6 && !(await activeText()).includes('here is a link'); i++) {
      const before = await activeText();
      await page.keyboard.press('ArrowUp');
      // Focus follows once the row is settled, a few frames later.
      await expect.poll(async () => { const now = await activeText(); return now !== before && now !== 'not a message'; }).toBe(true);
    }
    expect(await activeText()).toContain('here is a link');
    // Active now: Tab goes to its link, Shift+Tab back to the message.
    await expect.poll(() => link.getAttribute('tabindex')).toBe(null);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (document.activeElement as HTMLAnchorElement | null)?.href)).toBe('https://example.com/');
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent?.includes('here is a link') && document.activeElement.matches('li.message'))).toBe(true);
    // Away from it again, the link leaves the tab order.
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => link.getAttribute('tabindex')).toBe('-1');
    await expect.poll(activeText).toContain('Answering you, Ada.');
    // Keys quicker than focus (a held arrow key) each move one message: two presses at once go two up.
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await expect.poll(activeText).toContain('A second line from me');
  });

  it('after signing in, and after registering, focus is in the new-thread box', async () => {
    const page = await signedOutPage(desktop);
    await page.goto('/');
    await page.getByLabel('Username').fill(ada.username);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await waitLive(page);
    await expect.poll(() => page.evaluate(() => document.activeElement?.matches('.new-thread input'))).toBe(true);
    await page.getByRole('button', { name: 'Sign out' }).click();

    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.getByLabel('Username').fill(`newcomer_${process.pid}`);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await waitLive(page);
    await expect.poll(() => page.evaluate(() => document.activeElement?.matches('.new-thread input'))).toBe(true);
    await page.close();
  });

  it('? opens the shortcuts sheet (focus kept inside, Escape closes), n goes to the new-thread box, Alt+arrows change thread, and none fires while typing', async () => {
    const first = await createThread(server, ada, 'Shortcut one');
    const second = await createThread(server, ada, 'Shortcut two');
    const page = await scene.page(ada);
    await openThread(page, second);
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });

    // Typing in the composer: a ? is a question mark.
    await page.locator('.composer textarea').focus();
    await page.keyboard.type('why?');
    expect(await sheet.count()).toBe(0);
    await expect(page.locator('.composer textarea').inputValue()).resolves.toBe('why?');

    await page.locator('.composer textarea').fill('');
    await blur(page);
    await page.keyboard.press('?');
    await sheet.waitFor();
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.closest('dialog') !== null)).toBe(true);
    }
    await page.keyboard.press('Escape');
    await expect.poll(() => sheet.count()).toBe(0);

    // The list is newest first: "Shortcut two", then "Shortcut one".
    await page.keyboard.press('Alt+ArrowDown');
    await expect.poll(() => page.evaluate(() => location.pathname)).toBe(`/t/${first}`);
    await page.locator('#thread-title', { hasText: 'Shortcut one' }).waitFor();
    await blur(page);
    await page.keyboard.press('Alt+ArrowUp');
    await expect.poll(() => page.evaluate(() => location.pathname)).toBe(`/t/${second}`);

    await blur(page);
    await page.keyboard.press('n');
    await expect.poll(() => page.evaluate(() => document.activeElement?.matches('.new-thread input'))).toBe(true);
    await page.keyboard.type('nothing fires');
    await expect(page.locator('.new-thread input').inputValue()).resolves.toBe('nothing fires');
  });
});
