/**
 * Issue 15's companion in a real browser (Debian's chromium) against a real
 * Thrds server whose bots answer through a loopback model (a real HTTP
 * server speaking the Chat Completions stream, slowly enough to watch):
 * `@` completion offers the bot with its badge; a mention is answered by a
 * draft that grows live under "Wren is writing…" in both windows, then by
 * exactly one message in its place (no jump, the reader kept at the bottom,
 * or left where they were reading history); the thread's creator adds and
 * removes the bot from the thread menu, and every window sees it, as it sees
 * the operator retire it and bring it back; what the server refuses (a bot the operator retired meanwhile) is shown as it says it.
 * Screenshots: test-artifacts/screenshots/bots-*.png.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startLoopbackModel, type LoopbackModel } from '../support/loopbackModel.ts';
import { runThrds } from '../cli/support/runThrds.ts';
import { desktop, launchChromium, openThread, phone, screenshotPath, send, signedInContext } from './support/browser.ts';
import { startBotWebServer, type BotWebServer } from './support/botWebServer.ts';
import { createThread, postMessage, register, type Account } from './support/webServer.ts';
import { cardChunk, paintedPng } from '../bots/support/pngCardFile.ts';

const card = {
  spec: 'chara_card_v2',
  spec_version: '2.0',
  data: {
    name: 'Wren',
    description: 'A small, curious bird who keeps the thread company.',
    personality: 'warm, brief, fond of tea',
    scenario: 'A chat among friends.',
    first_mes: 'Hello {{user}}, I am {{char}}. Call me with @wren.',
    mes_example: '',
    creator_notes: 'Test character for the browser test.',
    system_prompt: '',
    post_history_instructions: '',
    alternate_greetings: [],
    tags: ['test'],
    creator: 'Thrds',
    character_version: '1',
    extensions: {},
  },
};

/** Long enough, in small slow pieces, for several drafts (at most one every 150 ms) to be seen. */
const reply = 'Tea is **always** a good idea. I would pick a green one, steeped for two minutes, with a biscuit on the side.';
const slowly = { kind: 'reply', text: reply, chunkSize: 4, chunkDelayMs: 90 } as const;

let model: LoopbackModel;
let server: BotWebServer;
let browser: Browser;
let ada: Account;
let bob: Account;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  model = await startLoopbackModel({ mode: slowly });
  [server, browser] = await Promise.all([
    startBotWebServer({
      card,
      env: { THRDS_LLM_BASE_URL: model.url, THRDS_LLM_MODEL: 'test', THRDS_BOT_COOLDOWN_MS: '0', THRDS_BOT_RETRY_BASE_MS: '100' },
    }),
    launchChromium(),
  ]);
  // One after the other: the first person registered is the admin; Bob is a member.
  ada = await register(server, 'Ada');
  bob = await register(server, 'Bob');
}, 120_000);

afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
  await browser?.close();
  await server?.stop();
  await model?.close();
});

async function pageAs(account: Account): Promise<Page> {
  const context = await signedInContext(browser, server.baseUrl, account, desktop);
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('[browser]', error));
  return page;
}

async function snap(page: Page, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: screenshotPath(`bots-${name}-${scheme}`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** The bot's confirmed messages in the open thread (not its draft). */
const botMessages = (page: Page) => page.locator('.messages > li.message:not(.bot-draft)', { has: page.locator('.message-meta .bot-badge') });
const draft = (page: Page) => page.locator('.messages > li.bot-draft');

/**
 * Watches the page for drafts from now on: every text a draft showed, where
 * its top was (in the scroller's content) the last time it changed, and
 * whether the scroller was at the bottom then.
 */
async function watchDrafts(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: { text: string; top: number; atBottom: boolean }[] = [];
    (window as unknown as { draftsSeen: typeof seen }).draftsSeen = seen;
    const scroller = document.querySelector<HTMLElement>('.message-scroller')!;
    const look = () => {
      const el = scroller.querySelector<HTMLElement>('li.bot-draft');
      if (!el) return;
      const text = el.querySelector('.message-body')?.textContent ?? '';
      const top = el.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop;
      if (seen.at(-1)?.text !== text) seen.push({ text, top, atBottom: scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 48 });
    };
    new MutationObserver(look).observe(scroller, { subtree: true, childList: true, characterData: true });
  });
}

function draftsSeen(page: Page): Promise<{ text: string; top: number; atBottom: boolean }[]> {
  return page.evaluate(() => (window as unknown as { draftsSeen: { text: string; top: number; atBottom: boolean }[] }).draftsSeen);
}

/** Where the bot's message is in the scroller's content, and whether the scroller is at the bottom. */
function placeOfLastBotMessage(page: Page): Promise<{ top: number; atBottom: boolean }> {
  return page.evaluate(() => {
    const scroller = document.querySelector<HTMLElement>('.message-scroller')!;
    const mine = [...scroller.querySelectorAll<HTMLElement>('li.message:not(.bot-draft)')].filter((li) => li.querySelector('.message-meta .bot-badge'));
    const el = mine.at(-1)!;
    return {
      top: el.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop,
      atBottom: scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 48,
    };
  });
}

describe('bots in the web app', () => {
  it('@ completion offers the bot with its badge; a mention is answered by a growing draft, then by exactly one message in its place, in both windows', async () => {
    const threadId = await createThread(server, ada, 'Tea time');
    await postMessage(server, bob, threadId, 'What shall we drink?');
    const [a, b] = await Promise.all([pageAs(ada), pageAs(bob)]);
    await Promise.all([openThread(a, threadId), openThread(b, threadId)]);
    await Promise.all([watchDrafts(a), watchDrafts(b)]);
    const requestsBefore = model.requests.length;

    // `@wr` offers Wren, marked as a bot.
    const box = a.getByRole('textbox', { name: 'Message' });
    await box.focus();
    await a.keyboard.type('@wr');
    const options = a.getByRole('listbox', { name: 'People to mention' });
    await options.waitFor();
    const first = options.getByRole('option').first();
    expect(await first.innerText()).toContain('Wren');
    expect(await first.locator('.bot-badge').innerText()).toMatch(/bot/i);
    await snap(a, 'mention-completion');
    await a.keyboard.press('Tab');
    expect(await box.inputValue()).toBe('@wren ');
    await a.keyboard.type('what do you think of tea?');
    await a.keyboard.press('Enter');

    // The draft shows in both windows while the model writes, under "Wren is writing…".
    await draft(b).waitFor({ timeout: 30_000 });
    await expect.poll(() => draft(b).locator('.message-body').innerText(), { timeout: 10_000 }).not.toBe('');
    expect(await draft(b).locator('.bot-writing').innerText()).toContain('Wren is writing…');
    expect(await draft(b).locator('.message-author').innerText()).toBe('Wren');
    expect(await draft(b).locator('.bot-badge').count()).toBe(1);
    // The typing line does not say it twice.
    expect(await b.locator('.typing-line').innerText()).not.toContain('Wren');
    await snap(b, 'draft');

    // Then exactly one message by Wren in each window, replying to Ada, and no draft left.
    for (const page of [a, b]) {
      await botMessages(page).first().waitFor({ timeout: 30_000 });
      await expect.poll(() => draft(page).count(), { timeout: 5_000 }).toBe(0);
    }
    for (const page of [a, b]) {
      const message = botMessages(page);
      expect(await message.count()).toBe(1);
      expect(await message.locator('.message-author').innerText()).toBe('Wren');
      expect(await message.locator('.message-body').innerText()).toContain('Tea is always a good idea.');
      expect(await message.locator('.message-body strong').innerText()).toBe('always');
      expect(await message.locator('.reply-quote').innerText()).toContain('what do you think of tea?');

      // The draft grew: at least two different texts, each a prefix of the reply as the model wrote it.
      const seen = await draftsSeen(page);
      const texts = [...new Set(seen.map((s) => s.text).filter((t) => t !== ''))];
      expect(texts.length).toBeGreaterThanOrEqual(2);
      // Without a jump: the message stands where the draft stood, and the reader is still at the bottom.
      const place = await placeOfLastBotMessage(page);
      expect(Math.abs(place.top - seen.at(-1)!.top)).toBeLessThanOrEqual(1);
      expect(place.atBottom).toBe(true);
      expect(seen.every((s) => s.atBottom)).toBe(true);
    }
    await snap(b, 'reply');

    // One call to the model for one mention; a moment later still one message (no second reply).
    expect(model.requests.length - requestsBefore).toBe(1);
    await b.waitForTimeout(1_500);
    expect(await botMessages(a).count()).toBe(1);
    expect(await botMessages(b).count()).toBe(1);
  });

  it('a reader up in the history stays where they are while the bot writes and posts below', async () => {
    const threadId = await createThread(server, ada, 'Long talk');
    for (let i = 1; i <= 40; i++) await postMessage(server, ada, threadId, `Line ${i} of a long talk`);
    const b = await pageAs(bob);
    await openThread(b, threadId);
    // The list opens at its newest message, and only then may the reader scroll up: scrolled while it is still
    // getting there, it would be taken back down (the test read "at the bottom" on a busy machine).
    await b.locator('.messages > li.message', { hasText: 'Line 40 of a long talk' }).waitFor();
    await expect.poll(() => b.locator('ol.messages').first().evaluate((el) => getComputedStyle(el).visibility)).toBe('visible');
    const scroller = b.locator('.message-scroller');
    await expect
      .poll(async () => {
        await scroller.evaluate((el) => (el.scrollTop = 200));
        await b.waitForTimeout(200);
        return scroller.evaluate((el) => el.scrollTop);
      })
      .toBe(200);
    const before = await scroller.evaluate((el) => el.scrollTop);
    await watchDrafts(b);

    await postMessage(server, ada, threadId, '@wren and you?');
    await b.locator('.new-messages').waitFor({ timeout: 30_000 });
    // The bot's reply arrived below (the virtualized list does not draw rows that far from the view): it is counted.
    await b.getByRole('button', { name: /2 new messages/ }).waitFor({ timeout: 30_000 });
    await expect.poll(() => draft(b).count(), { timeout: 5_000 }).toBe(0);
    expect(await scroller.evaluate((el) => el.scrollTop)).toBe(before);
    expect((await draftsSeen(b)).length).toBeGreaterThanOrEqual(1);
  });

  it('a bot the operator retires leaves every open thread\'s header at once, and is back when the operator adds it again', async () => {
    const threadId = await createThread(server, ada, 'Retired meanwhile');
    await server.gql(`mutation ($input: InviteBotInput!) { inviteBot(input: $input) { bots { id } } }`, { input: { threadId, botId: server.bot.id } }, ada.token);
    const [a, b] = await Promise.all([pageAs(ada), pageAs(bob)]);
    await Promise.all([openThread(a, threadId), openThread(b, threadId)]);
    const names = (page: Page) => page.getByRole('list', { name: 'Bots in this thread' });
    for (const page of [a, b]) await expect.poll(() => names(page).innerText().catch(() => ''), { timeout: 15_000 }).toContain('Wren');

    // `thrds bot remove` from another process: the server finds BotRemoved in the log, both windows hear it on their events feed.
    const removed = await runThrds(['bot', 'remove', 'wren', '--db', server.databaseUrl]);
    expect(removed.code, removed.stderr).toBe(0);
    for (const page of [a, b]) await expect.poll(() => names(page).count(), { timeout: 15_000 }).toBe(0);
    // Not a mention candidate any more either.
    await a.getByRole('textbox', { name: 'Message' }).fill('@wre');
    await expect.poll(() => a.getByRole('option', { name: /Wren/ }).count()).toBe(0);
    await a.getByRole('textbox', { name: 'Message' }).fill('');

    // `thrds bot add` with its card brings it back (BotCardChanged): still invited here, so the headers list it again.
    const cardFile = join(mkdtempSync(join(tmpdir(), 'thrds-card-')), 'wren.json');
    writeFileSync(cardFile, JSON.stringify(card));
    const added = await runThrds(['bot', 'add', cardFile, '--db', server.databaseUrl]);
    expect(added.code, added.stderr).toBe(0);
    for (const page of [a, b]) await expect.poll(() => names(page).innerText().catch(() => ''), { timeout: 15_000 }).toContain('Wren');
  });

  it('a PNG card gives the bot its picture: its messages show it at once in an open window, as a rounded square', async () => {
    const threadId = await createThread(server, ada, 'Portrait');
    await server.gql(`mutation ($input: InviteBotInput!) { inviteBot(input: $input) { bots { id } } }`, { input: { threadId, botId: server.bot.id } }, ada.token);
    const a = await pageAs(ada);
    await openThread(a, threadId);
    // Its greeting, with its initials for now.
    const avatar = botMessages(a).first().locator('.avatar');
    await expect.poll(() => avatar.innerText().catch(() => ''), { timeout: 30_000 }).toBe('W');

    // The operator adds the same character from its PNG card: the card is unchanged, the picture is new.
    const png = join(mkdtempSync(join(tmpdir(), 'thrds-card-')), 'wren.png');
    writeFileSync(png, await paintedPng('#3a7d5c', cardChunk(card)));
    const added = await runThrds(['bot', 'add', png, '--db', server.databaseUrl, '--json'], { env: { THRDS_FILES_DIR: server.filesDir } });
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ outcome: 'unchanged', picture: 'set' });
    // Live: the open window's avatar becomes the picture (UserAvatarChanged on the events feed), served by the server.
    const picture = avatar.locator('img.avatar-picture');
    await picture.waitFor({ timeout: 15_000 });
    await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 15_000 }).toBe(true);
    expect(await avatar.evaluate((el) => el.classList.contains('bot'))).toBe(true);
    await snap(a, 'picture');
  });

  it('the thread\'s creator adds the bot from the thread menu (it greets), everyone sees it in the header, and removes it again; others get no menu', async () => {
    const threadId = await createThread(server, ada, 'Book club');
    const [a, b] = await Promise.all([pageAs(ada), pageAs(bob)]);
    // Ada's window never hears that the operator retired the bot (below): its menu still offers it, as a window
    // whose events feed lags would, and what it shows is the server's refusal. Everything else passes through.
    await a.routeWebSocket(/\/graphql$/, (ws) => {
      const upstream = ws.connectToServer();
      upstream.onMessage((message) => {
        if (typeof message === 'string' && message.includes('"BotRemoved"')) return;
        ws.send(message);
      });
    });
    await Promise.all([openThread(a, threadId), openThread(b, threadId)]);

    // Bob neither created the thread nor moderates: no menu for him.
    expect(await b.getByRole('button', { name: 'Bots', exact: true }).count()).toBe(0);

    await a.getByRole('button', { name: 'Bots', exact: true }).click();
    const menu = a.getByRole('region', { name: 'Bots of this thread' });
    await menu.waitFor();
    expect(await menu.textContent()).toContain('Add a bot…');
    const add = menu.getByRole('button', { name: 'Add Wren to this thread' });
    await add.waitFor();
    await snap(a, 'menu');
    await add.click();

    // Both headers list the bot; it greets the thread with its first message (no model call).
    for (const page of [a, b]) {
      const names = page.getByRole('list', { name: 'Bots in this thread' });
      await expect.poll(() => names.innerText().catch(() => ''), { timeout: 15_000 }).toContain('Wren');
      await botMessages(page).first().waitFor({ timeout: 30_000 });
      expect(await botMessages(page).first().locator('.message-body').innerText()).toContain('I am Wren');
    }
    await expect.poll(() => menu.getByRole('button', { name: 'Remove Wren from this thread' }).count()).toBe(1);
    await snap(a, 'invited');

    // Invited, it answers what is posted in the thread without a mention.
    await send(b, 'Has anyone read a good book lately?');
    for (const page of [a, b]) await expect.poll(() => botMessages(page).count(), { timeout: 30_000 }).toBe(2);

    // Removed: gone from both headers, and from the menu's list of the thread's bots.
    await menu.getByRole('button', { name: 'Remove Wren from this thread' }).click();
    for (const page of [a, b]) {
      await expect.poll(() => page.getByRole('list', { name: 'Bots in this thread' }).count(), { timeout: 15_000 }).toBe(0);
    }
    await menu.getByRole('button', { name: 'Add Wren to this thread' }).waitFor();

    // What the server refuses is said as it says it: the operator retires the bot (`thrds bot remove`)
    // while the menu still offers it (this window does not hear of it), and adding it is NOT_FOUND.
    await a.getByRole('button', { name: 'Bots', exact: true }).click();
    await a.getByRole('button', { name: 'Bots', exact: true }).click();
    await menu.getByRole('button', { name: 'Add Wren to this thread' }).waitFor();
    const removed = await runThrds(['bot', 'remove', 'wren', '--db', server.databaseUrl]);
    expect(removed.stderr).toBe('');
    expect(removed.code).toBe(0);
    await menu.getByRole('button', { name: 'Add Wren to this thread' }).click();
    await expect.poll(() => menu.getByRole('alert').innerText().catch(() => ''), { timeout: 10_000 }).toMatch(/^No bot/);
    expect(await a.getByRole('list', { name: 'Bots in this thread' }).count()).toBe(0);
    // Refused, the menu asks for the bots again: there are none now.
    await expect.poll(() => menu.textContent(), { timeout: 10_000 }).toContain('No bots yet');
    await snap(a, 'refused');

    // On a phone the menu fits the screen without widening the page.
    await a.setViewportSize(phone);
    await expect.poll(() => menu.isVisible()).toBe(true);
    expect(await a.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(phone.width);
    await snap(a, 'menu-phone');
  });
});
