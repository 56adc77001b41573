/**
 * Issue 14's search in a real browser (Debian's chromium) against a real
 * Thrds server, on each store: `/` and Ctrl+K reach the search box, results
 * show their thread, author and the matching words highlighted (as text,
 * never as HTML), more results page in, empty and failed searches say so,
 * and choosing a result opens its thread at that message, loading the older
 * pages it is in, and highlights it. Screenshots:
 * test-artifacts/screenshots/search-*.png.
 */
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { phone, signedInContext, waitLive } from './support/browser.ts';
import { browserScene } from './support/scene.ts';
import { createThread, postMessage, type Account, type WebServer } from './support/webServer.ts';
import { storeKinds, type StoreKind } from '../support/databases.ts';

const kinds = await storeKinds();

describe.each(kinds)('search in the web app (%s)', (kind: StoreKind) => {
  let server: WebServer;
  let ada: Account;
  let bob: Account;
  let browser: Browser;
  const scene = browserScene('search', (ready) => ({ server, ada, bob, browser } = ready), kind);
  const snap = (page: Page, name: string) => scene.snap(page, `${name}-${kind}`);

  const searchBox = (page: Page) => page.getByRole('searchbox', { name: 'Search messages' });
  const results = (page: Page) => page.locator('.search-result');

  async function search(page: Page, query: string): Promise<void> {
    await searchBox(page).fill(query);
    await searchBox(page).press('Enter');
  }

  it('/ focuses the search; a result shows its thread, author and highlighted words; choosing it opens the thread at that message, 3 pages back, highlighted', async () => {
    const planning = await createThread(server, ada, `Quarterly planning ${kind}`);
    let target = '';
    for (let n = 1; n <= 160; n++) {
      const body = n === 5 ? 'Good news: the zeppelin budget is approved for next year' : `Planning note number ${n}`;
      const id = await postMessage(server, n % 2 ? ada : bob, planning, body);
      if (n === 5) target = id;
    }
    const airships = await createThread(server, bob, `Airships ${kind}`);
    await postMessage(server, bob, airships, 'Is <b>zeppelin</b> one word or a name?');

    const page = await scene.page(bob);
    await page.goto('/');
    await waitLive(page);
    await page.locator('body').press('/');
    await expect.poll(() => searchBox(page).evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('zeppelin');
    await expect.poll(() => results(page).count(), { timeout: 10_000 }).toBe(2);

    const hit = results(page).filter({ hasText: 'budget' });
    expect(await hit.locator('.search-result-thread').innerText()).toBe(`Quarterly planning ${kind}`);
    expect(await hit.locator('.search-result-author').innerText()).toBe('Ada');
    expect(await hit.locator('mark').allInnerTexts()).toEqual(['zeppelin']);
    expect(await hit.locator('time').count()).toBe(1);
    // Markup in a message is text in its snippet: no <b> element, the angle brackets shown.
    const other = results(page).filter({ hasText: 'one word' });
    expect(await other.locator('b').count()).toBe(0);
    expect(await other.locator('.search-result-snippet').innerText()).toContain('<b>zeppelin</b>');
    expect(await other.locator('mark').allInnerTexts()).toEqual(['zeppelin']);
    await snap(page, 'results');

    await hit.click();
    await page.waitForURL(`**/t/${planning}/m/${target}`);
    await page.getByRole('heading', { name: `Quarterly planning ${kind}` }).waitFor();
    const message = page.locator(`.messages > li.message[data-message-id="${target}"]`);
    await message.waitFor({ timeout: 15_000 });
    await expect.poll(() => message.evaluate((el) => el.classList.contains('jump-target'))).toBe(true);
    expect(await message.isVisible()).toBe(true);
    expect(await page.locator('.search-panel').isHidden()).toBe(true);
    await snap(page, 'opened-at-message');

    // Choosing the same result again shows it again.
    // Scrolled far below it, the virtualized list may drop its row from the DOM altogether: count, not evaluate.
    const highlighted = page.locator(`.messages > li.message.jump-target[data-message-id="${target}"]`);
    await page.locator('.message-scroller').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect.poll(() => highlighted.count(), { timeout: 5_000 }).toBe(0);
    await searchBox(page).click();
    await results(page).filter({ hasText: 'budget' }).click();
    await expect.poll(() => highlighted.count()).toBe(1);
  });

  it('Ctrl+K reaches the search from the composer; more results page in; no match and a refused query say so in words', async () => {
    const thread = await createThread(server, ada, `Lanterns ${kind}`);
    for (let n = 1; n <= 25; n++) await postMessage(server, ada, thread, `Paper lantern number ${n} is lit`);
    const page = await scene.page(bob);
    await page.goto(`/t/${thread}`);
    await waitLive(page);
    await page.getByRole('textbox', { name: 'Message' }).click();
    await page.keyboard.press('Control+K');
    await expect.poll(() => searchBox(page).evaluate((el) => el === document.activeElement)).toBe(true);

    await search(page, 'lantern');
    await expect.poll(() => results(page).count(), { timeout: 10_000 }).toBe(20);
    await page.getByRole('button', { name: 'More results' }).click();
    await expect.poll(() => results(page).count()).toBe(25);
    expect(await page.getByRole('button', { name: 'More results' }).count()).toBe(0);
    const ids = await results(page).evaluateAll((links) => links.map((l) => l.getAttribute('data-message-id')));
    expect(new Set(ids).size).toBe(25);

    await search(page, 'qwxyzzy');
    await page.locator('.search-status', { hasText: 'No messages match “qwxyzzy”.' }).waitFor();
    expect(await results(page).count()).toBe(0);
    await snap(page, 'no-results');

    // Only an operator, no word to look for: the server refuses it (BAD_USER_INPUT) and its reason is shown.
    await search(page, `from:${ada.username}`);
    const refused = page.locator('.search-status.error');
    await refused.waitFor();
    expect(await refused.getByRole('button', { name: 'Try again' }).count()).toBe(1);

    await searchBox(page).press('Escape');
    await expect.poll(() => page.locator('.search-panel').isHidden()).toBe(true);
    expect(await searchBox(page).inputValue()).toBe(`from:${ada.username}`);
    // A second Escape leaves the box.
    await searchBox(page).press('Escape');
    await expect.poll(() => searchBox(page).evaluate((el) => el !== document.activeElement)).toBe(true);
    expect(await page.locator('.search-panel').isHidden()).toBe(true);
  });

  // Layout, not the store: once.
  if (kind === 'sqlite') {
    it('on a phone the search is a magnifier that opens over the top bar; nothing is pushed off the screen', async () => {
      const thread = await createThread(server, ada, 'Phone search');
      await postMessage(server, ada, thread, 'A periscope for the pocket');
      const phoneContext = await signedInContext(browser, server.baseUrl, bob, phone);
      try {
        const page = await phoneContext.newPage();
        await page.goto('/');
        await waitLive(page);
        const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(await overflow()).toBe(0);
        const signOut = await page.getByRole('button', { name: 'Sign out' }).boundingBox();
        expect(signOut && signOut.x + signOut.width <= phone.width).toBe(true);
        const closed = await searchBox(page).boundingBox();
        expect(closed && closed.width >= 44 && closed.height >= 44).toBe(true);
        await snap(page, 'phone-closed');

        await searchBox(page).click();
        await page.keyboard.type('periscope');
        await expect.poll(() => results(page).count(), { timeout: 10_000 }).toBe(1);
        const open = await searchBox(page).boundingBox();
        expect(open && open.width > phone.width * 0.8).toBe(true);
        expect(await overflow()).toBe(0);
        await snap(page, 'phone-open');
        await results(page).click();
        await page.getByRole('heading', { name: 'Phone search' }).waitFor();
        expect(await overflow()).toBe(0);
      } finally {
        await phoneContext.close();
      }
    });
  }
});
