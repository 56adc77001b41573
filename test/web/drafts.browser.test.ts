/**
 * Composer drafts (issue 16, item 2) in a real browser: what is written and
 * not sent stays with its thread across switching threads and a reload, and
 * goes once it is sent.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { desktop, messageBodies, openThread, phone, screenshotPath, waitLive } from './support/browser.ts';
import { createThread, register, type Account, type WebServer } from './support/webServer.ts';
import { browserScene } from './support/scene.ts';

let server: WebServer;
const scene = browserScene('drafts', (s) => ({ server } = s));
const pageAs = (account: Account, viewport = desktop): Promise<Page> => scene.page(account, viewport);

function composer(page: Page) {
  return page.getByRole('textbox', { name: 'Message' });
}

/** Opens a thread from the list, as a person would: no page load. */
async function switchTo(page: Page, title: string): Promise<void> {
  await page.locator('.thread-list li', { hasText: title }).getByRole('link').first().click();
  await page.locator('#thread-title', { hasText: title }).waitFor({ timeout: 15_000 });
}

describe('drafts', () => {
  it('a draft stays with its thread across switching threads and a reload, and goes once sent', async () => {
    const ada = await register(server, 'Ada');
    const first = await createThread(server, ada, 'Draft one');
    await createThread(server, ada, 'Draft two');
    const page = await pageAs(ada);
    await openThread(page, first);

    await composer(page).fill('half a thought');
    await switchTo(page, 'Draft two');
    await expect(composer(page).inputValue()).resolves.toBe('');
    await composer(page).fill('another, unfinished');

    await switchTo(page, 'Draft one');
    await expect.poll(() => composer(page).inputValue()).toBe('half a thought');

    await page.reload();
    await waitLive(page);
    await page.locator('#thread-title', { hasText: 'Draft one' }).waitFor({ timeout: 15_000 });
    await expect.poll(() => composer(page).inputValue()).toBe('half a thought');
    await switchTo(page, 'Draft two');
    await expect.poll(() => composer(page).inputValue()).toBe('another, unfinished');

    // Sent: the draft goes, here and in storage; the other thread's stays.
    await composer(page).press('Enter');
    await expect.poll(() => messageBodies(page), { timeout: 15_000 }).toEqual(['another, unfinished']);
    await expect(composer(page).inputValue()).resolves.toBe('');
    await switchTo(page, 'Draft one');
    await expect.poll(() => composer(page).inputValue()).toBe('half a thought');
    await switchTo(page, 'Draft two');
    await expect.poll(() => composer(page).inputValue()).toBe('');
    const stored = await page.evaluate((userId) => Object.keys(JSON.parse(localStorage.getItem(`thrds.drafts.${userId}`) ?? '{}') as object), ada.userId);
    expect(stored).toEqual([first]);

    // Cleared by hand: gone too.
    await switchTo(page, 'Draft one');
    await composer(page).fill('');
    await page.reload();
    await waitLive(page);
    await page.locator('#thread-title', { hasText: 'Draft one' }).waitFor({ timeout: 15_000 });
    await expect.poll(() => composer(page).inputValue()).toBe('');
  });

  it('drafts are kept per person: someone else signing in on the same browser does not see them', async () => {
    const [ada, bob] = await Promise.all([register(server, 'Ada'), register(server, 'Bob')]);
    const threadId = await createThread(server, ada, 'Shared computer');
    const page = await pageAs(ada);
    await openThread(page, threadId);
    await composer(page).fill('for my eyes only');
    await expect.poll(() => page.evaluate((userId) => localStorage.getItem(`thrds.drafts.${userId}`) !== null, ada.userId)).toBe(true);

    await page.evaluate((token) => localStorage.setItem('thrds.token', token), bob.token);
    await page.reload();
    await waitLive(page);
    await page.locator('#thread-title', { hasText: 'Shared computer' }).waitFor({ timeout: 15_000 });
    await expect(composer(page).inputValue()).resolves.toBe('');
  });

  it('screenshots: a restored draft, in light and dark, desktop and phone', async () => {
    const ada = await register(server, 'Ada');
    const threadId = await createThread(server, ada, 'Draft screenshots');
    for (const [name, viewport] of [['desktop', desktop], ['phone', phone]] as const) {
      for (const scheme of ['light', 'dark'] as const) {
        const page = await pageAs(ada, viewport);
        await page.emulateMedia({ colorScheme: scheme });
        await openThread(page, threadId);
        await composer(page).fill(`Still writing this (${name}, ${scheme})…`);
        await page.reload();
        await waitLive(page);
        await expect.poll(() => composer(page).inputValue()).toBe(`Still writing this (${name}, ${scheme})…`);
        await page.screenshot({ path: screenshotPath(`drafts-restored-${name}-${scheme}`) });
        await composer(page).fill('');
        await page.context().close();
      }
    }
  });
});
