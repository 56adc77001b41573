/**
 * The app on a phone (issue 16, item 5), 390x844 with a touch screen: the
 * message actions never cover message text, every target is at least 44x44
 * px, the chrome around the messages stays small, and a grouped message's
 * time can be reached with a tap.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { openThread, phone, signedInContext, waitLive } from './support/browser.ts';
import { createThread, postMessage, type Account, type WebServer } from './support/webServer.ts';
import { browserScene } from './support/scene.ts';

let server: WebServer;
let browser: Browser;
let ada: Account;
let bob: Account;
const scene = browserScene('phone', (s) => ({ server, browser, ada, bob } = s));
const contexts: BrowserContext[] = [];
afterAll(() => Promise.all(contexts.map((c) => c.close().catch(() => undefined))));

const minTarget = 44;
const maxChrome = 110;

async function touchPage(account: Account): Promise<Page> {
  const context = await signedInContext(browser, server.baseUrl, account, phone, { hasTouch: true, isMobile: true });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('[browser]', error));
  return page;
}

/** A thread as a phone shows it: a run of grouped lines by one author (the case that overlapped), a reply, a reaction. */
async function busyThread(title: string): Promise<string> {
  const threadId = await createThread(server, ada, title);
  const first = await postMessage(server, ada, threadId, 'Morning! Three quick things before the call, one per line.');
  await postMessage(server, ada, threadId, 'One: the build is green again.');
  await postMessage(server, ada, threadId, 'Two: the release notes need a last read, they are long and the wording of the second half is not settled yet.');
  await postMessage(server, ada, threadId, 'Three: lunch?');
  await server.gql(`mutation ($input: PostMessageInput!) { postMessage(input: $input) { message { id } } }`, { input: { threadId, body: 'Yes to all three.', replyToId: first } }, bob.token);
  await server.gql(`mutation ($input: AddReactionInput!) { addReaction(input: $input) { position } }`, { input: { messageId: first, emoji: '👍' } }, bob.token);
  await postMessage(server, bob, threadId, 'ok');
  return threadId;
}

interface Box {
  readonly what: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Every control a finger can hit on screen now: visible, not transparent, inside the viewport. Links inside a sentence (WCAG 2.5.8's inline exception) are left out. */
function targets(page: Page): Promise<Box[]> {
  return page.evaluate(() => {
    const shown = (el: Element) => {
      for (let at: Element | null = el; at; at = at.parentElement) {
        const style = getComputedStyle(at);
        if (style.visibility === 'hidden' || style.display === 'none' || Number(style.opacity) === 0) return false;
      }
      return true;
    };
    const describe = (el: Element) => `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 24)}"`;
    return [...document.querySelectorAll('button, a[href], input:not([type="hidden"]), textarea, select, [role="button"], [tabindex="0"]')]
      .filter((el) => !el.closest('.message-body, .visually-hidden') && shown(el))
      .map((el) => {
        // A control inside a larger clickable label (the theme menu's select) is hit through the label.
        const hit = el.closest('label') ?? el;
        const r = hit.getBoundingClientRect();
        return { what: describe(el), x: r.x, y: r.y, width: r.width, height: r.height };
      })
      .filter((b) => b.width > 1 && b.height > 1 && b.y < innerHeight && b.y + b.height > 0 && b.x < innerWidth && b.x + b.width > 0);
  });
}

function intersects(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

describe('on a phone', () => {
  it('the touch screen is what the page sees: no hover, a coarse pointer', async () => {
    const page = await touchPage(ada);
    await page.goto('/');
    await waitLive(page);
    expect(await page.evaluate(() => [matchMedia('(hover: none)').matches, matchMedia('(pointer: coarse)').matches])).toEqual([true, true]);
  });

  it('the message actions cover no message text, and none of the messages cover each other', async () => {
    const threadId = await busyThread('No overlap');
    const page = await touchPage(ada);
    await openThread(page, threadId);
    await page.locator('.reaction').first().waitFor();
    const { controls, texts } = await page.evaluate(() => {
      const box = (what: string) => (el: Element) => {
        const r = el.getBoundingClientRect();
        return { what: `${what}: ${(el.textContent ?? '').trim().slice(0, 30)}`, x: r.x, y: r.y, width: r.width, height: r.height };
      };
      const visible = (el: Element) => Number(getComputedStyle(el).opacity) > 0 && getComputedStyle(el).visibility !== 'hidden';
      return {
        controls: [...document.querySelectorAll('.messages .message-actions-button, .messages .reaction, .messages .reply-quote')].filter(visible).map(box('control')),
        texts: [...document.querySelectorAll('.messages .message-body, .messages .message-meta')].filter(visible).map(box('text')),
      };
    });
    expect(controls.length).toBeGreaterThanOrEqual(7);
    const overlaps = controls.flatMap((c) => texts.filter((t) => intersects(c, t)).map((t) => `${c.what} over ${t.what}`));
    expect(overlaps).toEqual([]);
    await scene.snap(page, 'thread');
  });

  it('every target on the thread list and in a thread is at least 44x44 px, and neither screen is wider than the phone', async () => {
    const threadId = await busyThread('Big targets');
    const page = await touchPage(ada);
    await page.goto('/');
    await waitLive(page);
    await page.locator('.thread-list li').first().waitFor();
    const onList = await targets(page);
    const pageWidth = () => page.evaluate(() => document.documentElement.scrollWidth);
    expect(await pageWidth()).toBeLessThanOrEqual(phone.width);
    await scene.snap(page, 'threads');

    await openThread(page, threadId);
    await page.locator('.reaction').first().waitFor();
    const inThread = await targets(page);
    expect(await pageWidth()).toBeLessThanOrEqual(phone.width);
    const small = [...onList, ...inThread].filter((b) => b.width < minTarget - 0.5 || b.height < minTarget - 0.5).map((b) => `${b.what} ${Math.round(b.width)}x${Math.round(b.height)}`);
    console.log(`Targets measured: ${onList.length} on the list, ${inThread.length} in the thread`);
    expect(inThread.length).toBeGreaterThanOrEqual(10);
    expect(small).toEqual([]);
  });

  it('the top bar, thread header and composer together take at most 110 of the 844 px', async () => {
    const threadId = await busyThread('Compact chrome');
    const page = await touchPage(ada);
    await openThread(page, threadId);
    const heights = await page.evaluate(() => {
      const height = (selector: string) => document.querySelector(selector)?.getBoundingClientRect().height ?? 0;
      return { topbar: height('.topbar'), header: height('.thread-header'), composer: height('.composer') };
    });
    const total = heights.topbar + heights.header + heights.composer;
    console.log(`Phone chrome: top bar ${heights.topbar} + header ${heights.header} + composer ${heights.composer} = ${total} px of 844`);
    expect(heights.header).toBeGreaterThan(0);
    expect(heights.composer).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(maxChrome);
    // The connection state is still shown while the top bar gives way.
    await waitLive(page);
  });

  it("a grouped message's full time is reached with a tap: its actions menu shows it", async () => {
    const threadId = await busyThread('Times by touch');
    const page = await touchPage(ada);
    await openThread(page, threadId);
    const grouped = page.locator('.messages > li.message.continued', { hasText: 'Three: lunch?' });
    await grouped.waitFor();
    const expected = await grouped.locator('time.group-time').getAttribute('data-full');
    expect(expected).toBeTruthy();

    await grouped.getByRole('button', { name: 'Message actions' }).tap();
    const menuTime = page.locator('.message-menu-time');
    await menuTime.waitFor();
    expect(await menuTime.innerText()).toBe(expected);
    await expect(page.getByRole('menuitem', { name: 'Reply to You' }).isVisible()).resolves.toBe(true);
    await scene.snap(page, 'actions-menu');

    // A tap elsewhere closes it.
    await page.locator('.thread-header h2').tap();
    await expect.poll(() => page.getByRole('menu').count()).toBe(0);
  });
});
