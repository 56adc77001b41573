/**
 * Issue 13's presence and typing in a real browser (Debian's chromium)
 * against a real Thrds server: Ada in two tabs of one browser context and
 * Bob in another context. The header counts people, not tabs ("2 online",
 * 3 connections in its title) and lists them on hover or keyboard focus; the
 * thread header shows who has the thread open; "Bob is typing…" reaches
 * Ada's view within a couple of seconds and clears when he sends, clears
 * the box, or stops long enough for it to lapse.
 * Screenshots: test-artifacts/screenshots/presence-*.png.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { desktop, phone, openThread, waitLive } from './support/browser.ts';
import { browserScene } from './support/scene.ts';
import { createThread, postMessage, type Account, type WebServer } from './support/webServer.ts';

let server: WebServer;
let ada: Account;
let bob: Account;
const { context: contextAs, tab, snap } = browserScene('presence', (scene) => ({ server, ada, bob } = scene));

const onlineButton = (page: Page) => page.locator('.online-button');
const typingLine = (page: Page) => page.locator('.typing-line');

describe('presence and typing in the web app', () => {
  it('two tabs of Ada and one of Bob: the header says 2 online (3 connections) and lists both on hover and on focus', async () => {
    const adaContext = await contextAs(ada);
    const [a1, a2, b] = await Promise.all([tab(adaContext), tab(adaContext), contextAs(bob).then(tab)]);
    await Promise.all([a1, a2, b].map(async (page) => {
      await page.goto('/');
      await waitLive(page);
    }));

    for (const page of [a1, a2, b]) {
      await expect.poll(() => onlineButton(page).innerText(), { timeout: 15_000 }).toBe('2 online');
    }
    await expect.poll(() => onlineButton(b).getAttribute('title'), { timeout: 15_000 }).toBe('2 people on 3 connections');

    // Hover opens the list of people.
    await onlineButton(b).hover();
    const list = b.getByRole('region', { name: 'People online' });
    await list.waitFor();
    expect((await list.locator('li').allInnerTexts()).sort()).toEqual(['Ada', 'Bob (you)']);
    await snap(b, 'online-list');

    // Escape closes it; keyboard focus opens it again, and the button says it is expanded.
    await b.keyboard.press('Escape');
    await b.mouse.move(600, 600);
    await expect.poll(() => list.isVisible()).toBe(false);
    await onlineButton(b).focus();
    await list.waitFor();
    expect(await onlineButton(b).getAttribute('aria-expanded')).toBe('true');

    // One of Ada's tabs closes: still 2 people, now 2 connections.
    await a2.close();
    await expect.poll(() => onlineButton(b).getAttribute('title'), { timeout: 15_000 }).toBe('2 people on 2 connections');
    expect(await onlineButton(b).innerText()).toBe('2 online');

    // On a phone the count still fits the header without widening the page.
    await b.setViewportSize(phone);
    await onlineButton(b).click();
    await list.waitFor();
    expect(await b.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(phone.width);
    await snap(b, 'online-phone');
    await b.setViewportSize(desktop);
  });

  it('the thread header shows who else has the thread open', async () => {
    const threadId = await createThread(server, ada, 'Standup');
    await postMessage(server, ada, threadId, 'Morning all');
    const [a, b] = await Promise.all([contextAs(ada).then(tab), contextAs(bob).then(tab)]);
    await openThread(a, threadId);
    await expect.poll(() => a.locator('.thread-viewers').innerText(), { timeout: 15_000 }).toContain('Only you here');
    await openThread(b, threadId);
    await expect.poll(() => a.locator('.thread-viewers').innerText(), { timeout: 15_000 }).toContain('Here: Bob');
    await expect.poll(() => b.locator('.thread-viewers').innerText(), { timeout: 15_000 }).toContain('Here: Ada');
    await snap(a, 'thread-viewers');

    // Bob leaves the thread for the list: Ada is alone again.
    await b.goto('/');
    await expect.poll(() => a.locator('.thread-viewers').innerText(), { timeout: 15_000 }).toContain('Only you here');
  });

  it('"Bob is typing…" shows in Ada\'s view within a couple of seconds, and clears when he sends, when he clears the box, and about 6 s after he stops', async () => {
    const threadId = await createThread(server, ada, 'Lunch');
    const [a, b] = await Promise.all([contextAs(ada).then(tab), contextAs(bob).then(tab)]);
    await Promise.all([openThread(a, threadId), openThread(b, threadId)]);
    const box = b.getByRole('textbox', { name: 'Message' });

    await box.focus();
    const started = Date.now();
    await b.keyboard.type('Pizza', { delay: 40 });
    await expect.poll(() => typingLine(a).innerText(), { timeout: 2_000, interval: 50 }).toBe('Bob is typing…');
    expect(Date.now() - started).toBeLessThan(2_500);
    // Bob does not see himself typing.
    expect(await typingLine(b).innerText()).toBe('');
    await snap(a, 'typing');

    await b.keyboard.type(' at noon?');
    await b.keyboard.press('Enter');
    await a.locator('.messages .message-body', { hasText: 'Pizza at noon?' }).waitFor({ timeout: 15_000 });
    await expect.poll(() => typingLine(a).innerText(), { timeout: 2_000 }).toBe('');

    // Typing again, then clearing the box, ends it too.
    await b.keyboard.type('Or sushi');
    await expect.poll(() => typingLine(a).innerText(), { timeout: 2_000 }).toBe('Bob is typing…');
    await box.fill('');
    await expect.poll(() => typingLine(a).innerText(), { timeout: 2_000 }).toBe('');

    // Typing, then stopping with the text still there: the server lets it lapse after about 6 s.
    await b.keyboard.type('Maybe');
    await expect.poll(() => typingLine(a).innerText(), { timeout: 2_000 }).toBe('Bob is typing…');
    const paused = Date.now();
    await expect.poll(() => typingLine(a).innerText(), { timeout: 10_000, interval: 250 }).toBe('');
    expect(Date.now() - paused).toBeGreaterThan(4_000);
  });
});
