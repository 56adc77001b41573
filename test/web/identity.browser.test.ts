/**
 * Issue 16's identity and time (item 8) and the composer's limits (item 9) in
 * a real browser (Debian's chromium) against a real Thrds server. Two accounts
 * named "Ada" and Bob write over three days (the server's clock is moved back
 * while the older messages are posted); Bob reads with an en-GB locale in
 * Asia/Kolkata. He sees each Ada's @username, an avatar per group whose
 * initials read at 4.5:1 in light and dark, "Yesterday" and "Today" between
 * the days, a clock time on every group with the full date and time on hover
 * and on keyboard focus; the header's theme switch overrides the system and
 * holds before the app's script has run; the composer breaks lines with
 * Shift+Enter and counts a pasted text in code points as the server does.
 * Screenshots: test-artifacts/screenshots/identity-*.png (light and dark, desktop and phone).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { desktop, phone, screenshotPath, waitLive } from './support/browser.ts';
import { browserScene } from './support/scene.ts';
import { createThread, postMessage, register, type Account, type WebServer } from './support/webServer.ts';
import { contrastRatio } from '../../web/src/identity/avatarColour.ts';
import { LIMITS } from '../../src/input/limitValues.ts';

let server: WebServer;
let ada: Account;
let bob: Account;
let browserOf: () => import('playwright-core').Browser;
// The server runs in this process: with Date faked before it starts (moving with real time), the test can post "days ago".
beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
});
afterAll(() => {
  vi.useRealTimers();
});
browserScene('identity', (scene) => {
  ({ server, ada, bob } = scene);
  browserOf = () => scene.browser;
});

const day = 86_400_000;
const viewer = { locale: 'en-GB', timezoneId: 'Asia/Kolkata' } as const;
const realNow = () => Math.round(performance.timeOrigin + performance.now());

/** Posts as `account` with the server's clock set `daysBack` days before now, then puts the clock back. */
async function postDaysAgo(account: Account, threadId: string, body: string, daysBack: number): Promise<void> {
  vi.setSystemTime(realNow() - daysBack * day);
  try {
    await postMessage(server, account, threadId, body);
  } finally {
    vi.setSystemTime(realNow());
  }
}

/** A browser context of Bob's, as a reader in India with British English would have it. */
async function bobContext(viewport = desktop): Promise<BrowserContext> {
  const context = await browserOf().newContext({ baseURL: server.baseUrl, viewport, colorScheme: 'light', serviceWorkers: 'block', ...viewer });
  await context.addInitScript((token) => {
    if (!sessionStorage.getItem('thrds.test.seeded')) {
      localStorage.setItem('thrds.token', token);
      sessionStorage.setItem('thrds.test.seeded', '1');
    }
  }, bob.token);
  return context;
}

async function openAs(context: BrowserContext, threadId: string): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('[browser]', error));
  await page.goto(`/t/${threadId}`);
  await page.locator('.thread-view[aria-labelledby]').waitFor({ timeout: 15_000 });
  await waitLive(page);
  return page;
}

async function snapBoth(page: Page, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: screenshotPath(`identity-${name}-${scheme}`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** `rgb(r, g, b)` as `#rrggbb`. */
function hex(rgb: string): string {
  const [r, g, b] = (rgb.match(/\d+/g) ?? []).map(Number) as [number, number, number];
  return `#${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

describe('identity and time in the web app', () => {
  let threadId: string;
  let ada2: Account;

  it('two people named Ada show their @usernames, each group its avatar, and the days are separated', async () => {
    ada2 = await register(server, 'Ada');
    threadId = await createThread(server, ada, 'Lunch plans');
    await postDaysAgo(ada, threadId, 'Three days ago: shall we plan lunch?', 3);
    await postDaysAgo(ada2, threadId, 'Yesterday: I am the other Ada.', 1);
    await postDaysAgo(bob, threadId, 'Yesterday: fine by me.', 1);
    await postMessage(server, ada, threadId, 'Today: noon at the usual place.');
    await postMessage(server, ada, threadId, 'Today: and bring the menu.');

    const context = await bobContext();
    const page = await openAs(context, threadId);
    const messages = page.locator('.messages > li.message');
    await expect.poll(() => messages.count(), { timeout: 15_000 }).toBe(5);
    // Virtuoso keeps the list hidden until it has measured its rows, and hidden text reads as '' (a CI run, Node 24).
    await messages.last().waitFor({ state: 'visible' });

    // Both Adas carry their handle; Bob's own messages say "You" and need none.
    await expect.poll(() => page.locator('.message-handle').allInnerTexts()).toEqual([`@${ada.username}`, `@${ada2.username}`, `@${ada.username}`]);

    // Day separators, in the viewer's calendar: a date, Yesterday, Today.
    const separators = await page.locator('.day-separator').allInnerTexts();
    expect(separators).toHaveLength(3);
    expect(separators[0]).toMatch(/^[A-Z][a-z]+day,? \d{1,2} [A-Z][a-z]+( \d{4})?$/);
    expect(separators.slice(1)).toEqual(['Yesterday', 'Today']);

    // An avatar on each group (the second "Today" message continues the first), initials from the name.
    const avatars = page.locator('.messages .avatar');
    expect(await avatars.allInnerTexts()).toEqual(['A', 'A', 'B', 'A']);
    const ids = await avatars.evaluateAll((els) => els.map((el) => el.getAttribute('data-user-id')));
    expect(ids).toEqual([ada.userId, ada2.userId, bob.userId, ada.userId]);
    // One person, one colour, group after group.
    const colourOf = (i: number) => avatars.nth(i).evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(await colourOf(0)).toBe(await colourOf(3));

    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const pairs = await avatars.evaluateAll((els) => els.map((el) => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor] as const));
      for (const [text, background] of pairs) expect(contrastRatio(hex(text), hex(background)), `${scheme}: ${text} on ${background}`).toBeGreaterThanOrEqual(4.5);
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await snapBoth(page, 'thread-desktop');

    const phonePage = await openAs(await bobContext(phone), threadId);
    await expect.poll(() => phonePage.locator('.messages > li.message').count(), { timeout: 15_000 }).toBe(5);
    expect(await phonePage.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await snapBoth(phonePage, 'thread-phone');
    await context.close();
    await phonePage.context().close();
  });

  it('every group shows its time, and the full date and time on hover and on keyboard focus', async () => {
    const context = await bobContext();
    const page = await openAs(context, threadId);
    const heads = page.locator('.messages > li.message:not(.continued)');
    await expect.poll(() => heads.count(), { timeout: 15_000 }).toBe(4);
    for (const time of await heads.locator('.group-time').all()) {
      // Virtuoso keeps the list hidden (visibility) until it has measured the rows it first drew.
      await time.waitFor({ state: 'visible' });
      expect(await time.locator('[aria-hidden="true"]').first().innerText()).toMatch(/^\d{2}:\d{2}$/); // en-GB: 24-hour
      expect(await time.getAttribute('dateTime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    }

    // Hover: the tooltip gives the whole date and time, in the viewer's zone and language.
    const first = heads.first().locator('.group-time');
    const tooltip = first.locator('.time-tooltip');
    expect(await tooltip.isVisible()).toBe(false);
    await first.hover();
    await tooltip.waitFor({ state: 'visible' });
    expect(await tooltip.innerText()).toMatch(/^[A-Z][a-z]+day,? \d{1,2} [A-Z][a-z]+ \d{4}( at|,) \d{2}:\d{2}$/);
    expect(await first.locator('.visually-hidden').innerText()).toBe(await tooltip.innerText());
    await page.mouse.move(5, 5);
    await tooltip.waitFor({ state: 'hidden' });

    // Keyboard: from the composer, back into the messages; the focused message shows its date and time.
    await page.getByRole('textbox', { name: 'Message' }).focus();
    let inMessage = false;
    for (let i = 0; i < 15 && !inMessage; i++) {
      await page.keyboard.press('Shift+Tab');
      inMessage = await page.evaluate(() => document.activeElement?.closest('.messages > li.message') !== null);
    }
    expect(inMessage).toBe(true);
    const focused = page.locator('.messages > li.message:focus-within, .messages > li.message:focus');
    await focused.locator('.time-tooltip').waitFor({ state: 'visible' });
    await page.screenshot({ path: screenshotPath('identity-time-focus-light') });
    await context.close();
  });

  it('the theme switch overrides the system, is remembered, and holds before the app has run', async () => {
    const context = await bobContext();
    const page = await openAs(context, threadId);
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const theme = page.getByRole('group', { name: 'Theme' });
    // The radios are visually hidden inside their labels: a click lands on the label, as a user's does.
    const choose = (name: string) => theme.getByTitle(name).click();
    expect(await theme.getByRole('radio', { name: 'System theme' }).isChecked()).toBe(true);

    // System: follows prefers-color-scheme.
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(background).toBe('rgb(22, 24, 29)');
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(background).toBe('rgb(247, 247, 245)');

    // Dark on a light system; the choice is stored.
    await choose('Dark theme');
    await expect.poll(background).toBe('rgb(22, 24, 29)');
    expect(await page.evaluate(() => [document.documentElement.dataset['theme'], localStorage.getItem('thrds.theme')])).toEqual(['dark', 'dark']);
    await page.screenshot({ path: screenshotPath('identity-theme-dark-on-light-system') });

    // Arrow keys move between the options (native radios): Light, on a dark system.
    await page.emulateMedia({ colorScheme: 'dark' });
    await theme.getByRole('radio', { name: 'Dark theme' }).focus();
    await page.keyboard.press('ArrowLeft');
    expect(await theme.getByRole('radio', { name: 'Light theme' }).isChecked()).toBe(true);
    await expect.poll(background).toBe('rgb(247, 247, 245)');
    await page.screenshot({ path: screenshotPath('identity-theme-light-on-dark-system') });

    // Before first paint: with the app's own script blocked, the page is already in the chosen theme.
    await choose('Dark theme');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.route('**/assets/*.js', (route) => route.abort());
    await page.reload();
    await page.waitForLoadState('domcontentloaded');
    expect(await page.locator('#root').innerHTML()).toBe(''); // the app never ran
    expect(await page.evaluate(() => document.documentElement.dataset['theme'])).toBe('dark');
    expect(await background()).toBe('rgb(22, 24, 29)');
    await page.unroute('**/assets/*.js');

    // And back to System: nothing stored, the system's scheme again.
    await page.reload();
    await page.locator('.thread-view[aria-labelledby]').waitFor({ timeout: 15_000 });
    await choose('System theme');
    expect(await page.evaluate(() => [document.documentElement.dataset['theme'] ?? null, localStorage.getItem('thrds.theme')])).toEqual([null, null]);
    await expect.poll(background).toBe('rgb(247, 247, 245)');

    // On a phone: one icon over a native select (the three options would not fit), and the header does not overflow.
    // The top bar is the thread list's there (an open thread takes the whole screen): back to the list first.
    await page.setViewportSize(phone);
    await page.getByRole('link', { name: 'Back to threads' }).click();
    const select = page.getByRole('combobox', { name: 'Theme' });
    await select.waitFor();
    expect(await theme.isVisible()).toBe(false);
    expect(await select.inputValue()).toBe('system');
    await select.selectOption('dark');
    await expect.poll(background).toBe('rgb(22, 24, 29)');
    expect(await page.evaluate(() => localStorage.getItem('thrds.theme'))).toBe('dark');
    const box = await page.locator('.theme-menu').boundingBox();
    expect(box && box.width >= 44 && box.height >= 44).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.screenshot({ path: screenshotPath('identity-theme-phone-dark') });
    await select.selectOption('system');
    await context.close();
  });

  it('the composer: Shift+Enter breaks the line, Enter sends, and a long paste is counted in code points like the server', async () => {
    const context = await bobContext();
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const page = await openAs(context, threadId);
    const box = page.getByRole('textbox', { name: 'Message' });
    const hint = page.locator('.composer-hint');
    const sendButton = page.getByRole('button', { name: 'Send', exact: true });

    await box.focus();
    await page.keyboard.type('line one');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('line two');
    expect(await box.inputValue()).toBe('line one\nline two');
    await page.keyboard.press('Enter');
    const last = page.locator('.messages > li.message:not(.pending)').last().locator('.message-body');
    await expect.poll(() => last.innerText(), { timeout: 15_000 }).toBe('line one\nline two');
    expect(await box.inputValue()).toBe('');

    // A paste of 3,990 emoji: 7,980 UTF-16 units, 3,990 characters as the server counts: near the limit, sendable.
    const max = LIMITS.body.max;
    const paste = async (text: string) => {
      await box.fill('');
      await page.evaluate((t) => navigator.clipboard.writeText(t), text);
      await box.focus();
      await page.keyboard.press('ControlOrMeta+V');
      await expect.poll(() => box.inputValue().then((v) => [...v].length)).toBe([...text].length);
    };
    await paste('😀'.repeat(max - 10));
    await expect.poll(() => hint.innerText()).toBe(`${(max - 10).toLocaleString('en-GB')} / ${max.toLocaleString('en-GB')} characters: 10 left.`);
    expect(await hint.getAttribute('class')).toContain('near-limit');
    expect(await sendButton.isEnabled()).toBe(true);
    await page.screenshot({ path: screenshotPath('identity-composer-near-limit-light') });

    // One past the limit: too many, and Send is off.
    await paste('😀'.repeat(max + 1));
    await expect.poll(() => hint.innerText()).toBe(`${(max + 1).toLocaleString('en-GB')} / ${max.toLocaleString('en-GB')} characters: 1 too many to send.`);
    expect(await sendButton.isEnabled()).toBe(false);
    expect(await box.getAttribute('aria-invalid')).toBe('true');

    // Exactly the limit goes through the server's own check.
    await paste('😀'.repeat(max));
    expect(await sendButton.isEnabled()).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => last.innerText().then((t) => [...t].length), { timeout: 15_000 }).toBe(max);
    await page.setViewportSize(phone);
    await paste('😀'.repeat(max - 1));
    await hint.waitFor({ state: 'visible' }); // the hint is hidden on a phone, but not the counter
    await snapBoth(page, 'composer-phone');
    await context.close();
  });
});
