/**
 * Issue 14's rich text in a real browser (Debian's chromium) against a real
 * Thrds server, on each store: Ada posts through the API, Bob reads. A
 * MARKDOWN message renders each element of the chat subset (links only to
 * http, https and mailto, headings no bigger than the text, mentions marked
 * but never inside code); an XSS corpus of markdown and HTML payloads, in a
 * page whose CSP is bypassed so only the rendering stands between the
 * payload and the page, runs nothing and renders no element of its own; a
 * PLAIN message shows its markup as typed; a code block's button copies it;
 * 1–3 emoji show large and in colour (the system's emoji font, or the
 * bundled one, whose subsets Thrds serves and which load one by one). The
 * composer's picker (search, skin tone remembered, recent first, keyboard,
 * Escape and outside clicks) and `:` completion need no store: they run
 * once, on SQLite.
 * Screenshots: test-artifacts/screenshots/richtext-*.png.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { desktop, openThread, send, waitLive } from './support/browser.ts';
import { browserScene, type Scene } from './support/scene.ts';
import { createThread, type Account, type WebServer } from './support/webServer.ts';
import { storeKinds, type StoreKind } from '../support/databases.ts';

const kinds = await storeKinds();

interface Posted {
  readonly id: string;
  readonly body: string;
  readonly format: string;
}

describe.each(kinds)('rich text in the web app (%s)', (kind: StoreKind) => {
  let scene: Scene;
  let server: WebServer;
  let ada: Account;
  let bob: Account;
  const tools = browserScene('richtext', (ready) => ({ server, ada, bob } = scene = ready), kind);
  const ownContexts: BrowserContext[] = [];

  afterAll(async () => {
    await Promise.all(ownContexts.map((c) => c.close()));
  });

  const snap = (page: Page, name: string) => tools.snap(page, `${name}-${kind}`);

  async function post(account: Account, threadId: string, body: string, format?: 'MARKDOWN' | 'PLAIN'): Promise<Posted> {
    const data = await server.gql<{ postMessage: { message: Posted } }>(
      `mutation ($input: PostMessageInput!) { postMessage(input: $input) { message { id body format } } }`,
      { input: { threadId, body, ...(format ? { format } : {}) } },
      account.token,
    );
    return data.postMessage.message;
  }

  /** The message's text once rendered (not as typed while the markdown chunk loads). */
  const bodyOf = (page: Page, messageId: string) => page.locator(`.messages li.message[data-message-id="${messageId}"] .message-body:not(.md-pending)`);

  it('a markdown message renders emphasis, strong, strikethrough, code, a code block, a quote, lists, links, a table and a heading no bigger than the text', async () => {
    const threadId = await createThread(server, ada, `Markdown ${kind}`);
    const message = await post(
      ada,
      threadId,
      [
        `*soft* **loud** ~~gone~~ \`code @${bob.username}\` for @${bob.username}`,
        'second line of the same paragraph',
        '',
        '# A heading',
        '',
        '> quoted words',
        '',
        '- one',
        '- two',
        '',
        '1. first',
        '2. second',
        '',
        'see https://example.com/auto, [the site](https://example.org/x "Title") or <mailto:ada@example.com>',
        '',
        '| a | b |',
        '|---|---|',
        '| 1 | 2 |',
        '',
        '```ts',
        'const less = 1 < 2 && "<b>";',
        '```',
      ].join('\n'),
    );
    expect(message.format).toBe('MARKDOWN');

    const page = await tools.page(bob);
    await openThread(page, threadId);
    const body = bodyOf(page, message.id);
    await body.waitFor();
    expect(await body.getAttribute('class')).toContain('markdown');
    expect(await body.locator('em').innerText()).toBe('soft');
    expect(await body.locator('strong').first().innerText()).toBe('loud');
    expect(await body.locator('del').innerText()).toBe('gone');
    // The mention is marked (Bob's own stands out), the same name in code is not.
    expect(await body.locator('p code').innerText()).toBe(`code @${bob.username}`);
    expect(await body.locator('code .mention').count()).toBe(0);
    expect(await body.locator('.mention.me').allInnerTexts()).toEqual([`@${bob.username}`]);
    // A line break typed inside a paragraph stays one.
    expect(await body.locator('p').first().innerText()).toContain(`@${bob.username}\nsecond line`);

    // Headings: a bold paragraph at the size of the text.
    expect(await body.locator('h1, h2, h3, h4, h5, h6').count()).toBe(0);
    const heading = body.locator('.md-heading');
    expect(await heading.innerText()).toBe('A heading');
    const size = (selector: string) => body.locator(selector).first().evaluate((el) => getComputedStyle(el).fontSize);
    expect(await size('.md-heading')).toBe(await size('p:not(.md-heading)'));
    expect(await heading.locator('strong').count()).toBe(1);

    expect(await body.locator('blockquote').innerText()).toBe('quoted words');
    expect(await body.locator('ul > li').allInnerTexts()).toEqual(['one', 'two']);
    expect(await body.locator('ol > li').allInnerTexts()).toEqual(['first', 'second']);
    expect(await body.locator('td').allInnerTexts()).toEqual(['1', '2']);

    // Links: autolinks and written ones, each opening a new tab with neither opener nor referrer.
    const links = await body.locator('a').evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.textContent, a.getAttribute('target'), a.getAttribute('rel')]));
    const safe = ['_blank', 'noopener noreferrer nofollow'];
    expect(links).toEqual([
      ['https://example.com/auto', 'https://example.com/auto', ...safe],
      ['https://example.org/x', 'the site', ...safe],
      ['mailto:ada@example.com', 'mailto:ada@example.com', ...safe],
    ]);

    // The code block keeps its text as written (no markup from it), with a copy button.
    expect((await body.locator('pre code').innerText()).trimEnd()).toBe('const less = 1 < 2 && "<b>";');
    expect(await body.locator('pre b').count()).toBe(0);
    expect(await body.locator('.md-code button', { hasText: 'Copy' }).count()).toBe(1);
    await body.scrollIntoViewIfNeeded();
    await snap(page, 'markdown');
  });

  it('an XSS corpus posted through the API runs nothing, renders none of its elements and leaves no javascript: URL in the page', async () => {
    const threadId = await createThread(server, ada, `Hostile ${kind}`);
    const corpus: { body: string; format?: 'PLAIN' }[] = [
      { body: `<img src=x onerror="window.__xss('img')">` },
      { body: `<script>window.__xss('script')</script>` },
      { body: `[link](javascript:window.__xss('md-link'))` },
      { body: `[upper](JaVaScRiPt:window.__xss('case'))` },
      { body: `[data](data:text/html,<script>window.__xss('data')</script>)` },
      { body: `[data64](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3MoJ2I2NCcpPC9zY3JpcHQ+)` },
      { body: `<a href="javascript:window.__xss('a')">html link</a>` },
      { body: `![tracker](${server.baseUrl}/track.png) ![remote](http://127.0.0.1:9/track.png)` },
      { body: `<iframe src="javascript:window.__xss('iframe')"></iframe>` },
      { body: `<svg onload="window.__xss('svg')"><circle r="5"/></svg>` },
      { body: `&lt;img src=x onerror=window.__xss('entity')&gt; &#60;script&#62;window.__xss('entity2')&#60;/script&#62;` },
      { body: `[colon](javascript&colon;window.__xss('colon')) [tab](java&#x09;script:window.__xss('tab')) [ent](&#106;avascript:window.__xss('ent'))` },
      { body: `<javascript:window.__xss('autolink')> and javascript:window.__xss('bare')` },
      { body: `[ref][x]\n\n[x]: javascript:window.__xss('ref')` },
      { body: `<details open ontoggle="window.__xss('details')"><summary>s</summary></details>` },
      { body: `<math><mtext><table><mglyph><style><img src=x onerror="window.__xss('mxss')">` },
      { body: `<form action="javascript:window.__xss('form')"><button formaction="javascript:window.__xss('fa')">go</button></form>` },
      { body: `<object data="javascript:window.__xss('object')"></object><embed src="javascript:window.__xss('embed')">` },
      { body: `<style>.messages{display:none}</style><link rel="stylesheet" href="data:text/css,*{display:none}"><base href="javascript:/">` },
      { body: `[vb](vbscript:msgbox(1)) [file](file:///etc/passwd) [rel](/graphql) [frag](#x)` },
      { body: `<img src=x onerror="window.__xss('plain')"> [x](javascript:window.__xss('plain-link'))`, format: 'PLAIN' },
      { body: `<script>window.__xss('block')</script><b onclick="window.__xss('b')">bold?</b> see https://example.com/a?b=1.\n<i>second line</i>` },
    ];
    const posted: Posted[] = [];
    for (const item of corpus) posted.push(await post(ada, threadId, item.body, item.format));

    // A context whose pages ignore the CSP: what keeps the payloads inert here is the rendering alone.
    const context = await bypassingContext(bob);
    const page = await context.newPage();
    const hits: string[] = [];
    const requests: string[] = [];
    page.on('pageerror', (error) => console.error('[browser]', error));
    page.on('dialog', (dialog) => {
      hits.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    page.on('request', (request) => requests.push(request.url()));
    await page.exposeFunction('__xss', (what: string) => hits.push(what));
    await openThread(page, threadId);
    for (const message of posted) await bodyOf(page, message.id).waitFor();

    // The trap works in this page: markup with an inline handler, put in by the test, does run.
    await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', `<img id="control" src="/nothing-here.png" onerror="window.__xss('control')">`));
    await expect.poll(() => hits, { timeout: 5_000 }).toContain('control');
    await page.evaluate(() => document.getElementById('control')?.remove());
    // Hover and click what the corpus left that looks clickable: links it was refused show as text, and do nothing.
    for (const span of await page.locator('.messages .md-link-text').all()) await span.click();
    const bodies = page.locator('.messages .message-body');
    await bodies.first().hover();

    expect(hits).toEqual(['control']);
    expect(await page.locator('.messages').isVisible()).toBe(true);
    const forbidden = 'script, img, iframe, svg, math, object, embed, form, button, details, style, link, base, meta, input:not([type="checkbox"])';
    expect(await bodies.locator(forbidden).count()).toBe(0);
    const attributes = await page.evaluate(() =>
      [...document.querySelectorAll('.messages .message-body *')].flatMap((el) => [...el.attributes].map((a) => `${el.tagName.toLowerCase()} ${a.name}=${a.value}`)),
    );
    expect(attributes.filter((a) => /^\S+ on/i.test(a))).toEqual([]);
    const urls = (scope: string) =>
      page.evaluate(
        (scope) =>
          [...document.querySelectorAll(`${scope} :is([href], [src], [action], [formaction], [data], [xlink\\:href])`)].flatMap((el) =>
            ['href', 'src', 'action', 'formaction', 'data', 'xlink:href'].flatMap((name) => el.getAttribute(name) ?? []),
          ),
        scope,
      );
    // The page's own favicon is a data: URL; none may come from a message.
    expect((await urls('html')).filter((url) => /^\s*(javascript|vbscript):/i.test(url))).toEqual([]);
    expect((await urls('.messages')).filter((url) => /^\s*data:/i.test(url))).toEqual([]);
    // No markdown image loaded anything, from Thrds or elsewhere.
    expect(requests.filter((url) => url.includes('track.png'))).toEqual([]);
    // Every link left in the corpus's messages goes to http(s) or mailto: the refused ones are text.
    const hrefs = await bodies.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs.filter((href) => !/^(https?:\/\/|mailto:)/.test(href))).toEqual([]);

    // Raw HTML shows as the text it is; a refused link keeps its words.
    expect(await bodyOf(page, posted[1]!.id).innerText()).toBe(`<script>window.__xss('script')</script>`);
    expect(await bodyOf(page, posted[2]!.id).innerText()).toBe('link');
    expect(await bodyOf(page, posted[7]!.id).innerText()).toBe(`tracker (${server.baseUrl}/track.png) remote (http://127.0.0.1:9/track.png)`);
    expect(await bodyOf(page, posted[10]!.id).innerText()).toBe(`<img src=x onerror=window.__xss('entity')> <script>window.__xss('entity2')</script>`);
    expect(await bodyOf(page, posted[20]!.id).innerText()).toBe(corpus[20]!.body);
    // An HTML block shows as its text, its URL still a link (without the full stop after it); the line after it is a paragraph of its own.
    const block = bodyOf(page, posted[21]!.id);
    expect(await block.innerText()).toBe(corpus[21]!.body.replace('\n', '\n\n'));
    expect(await block.locator('a').evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.getAttribute('rel')]))).toEqual([
      ['https://example.com/a?b=1', 'noopener noreferrer nofollow'],
    ]);
    await snap(page, 'xss');
  });

  it('a PLAIN message shows its markup as typed', async () => {
    const threadId = await createThread(server, ada, `Plain ${kind}`);
    const message = await post(ada, threadId, '**x** _y_ `z` # not a heading\n- not a list', 'PLAIN');
    expect(message.format).toBe('PLAIN');
    const page = await tools.page(bob);
    await openThread(page, threadId);
    const body = bodyOf(page, message.id);
    await body.waitFor();
    expect(await body.innerText()).toBe('**x** _y_ `z` # not a heading\n- not a list');
    expect(await body.locator('strong, em, code, ul, li').count()).toBe(0);
    expect(await body.getAttribute('class')).not.toContain('markdown');
  });

  it("a code block's button copies the code", async () => {
    const threadId = await createThread(server, ada, `Snippets ${kind}`);
    const code = 'git log --oneline \\\n  | head -3\n\techo "<done>"';
    const message = await post(ada, threadId, `Try:\n\n\`\`\`sh\n${code}\n\`\`\``);
    const context = await tools.context(bob);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.baseUrl });
    const page = await tools.tab(context);
    await openThread(page, threadId);
    const block = bodyOf(page, message.id).locator('.md-code');
    await block.hover();
    await block.getByRole('button', { name: 'Copy the code' }).click();
    await expect.poll(() => block.getByRole('button').innerText()).toBe('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(code);
  });

  it('a message of one to three emoji shows them large and in colour, emoji with words at the normal size; the bundled emoji font is served in subsets that load one by one', async () => {
    const threadId = await createThread(server, ada, `Emoji ${kind}`);
    const [one, three, four, words] = [
      await post(ada, threadId, '🎉'),
      await post(ada, threadId, '👍🏽 🇫🇷 ❤️'),
      await post(ada, threadId, '🎉🎉🎉🎉'),
      await post(ada, threadId, 'great 🎉'),
    ];
    const page = await tools.page(bob);
    await openThread(page, threadId);
    await bodyOf(page, words!.id).waitFor();
    const fontSize = (id: string) => bodyOf(page, id).evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
    expect(await bodyOf(page, one!.id).getAttribute('data-emoji-count')).toBe('1');
    expect(await bodyOf(page, three!.id).getAttribute('data-emoji-count')).toBe('3');
    expect(await bodyOf(page, four!.id).getAttribute('data-emoji-count')).toBeNull();
    expect(await bodyOf(page, words!.id).getAttribute('data-emoji-count')).toBeNull();
    expect(await fontSize(one!.id)).toBeGreaterThanOrEqual(2 * (await fontSize(words!.id)));
    expect(await fontSize(four!.id)).toBe(await fontSize(words!.id));

    // In colour, not as boxes or black-and-white text glyphs.
    expect(await colourfulPixels(bodyOf(page, one!.id))).toBeGreaterThan(100);
    expect(await colourfulPixels(bodyOf(page, words!.id))).toBeGreaterThan(20);

    // The bundled Noto Color Emoji is served by Thrds (no CDN) in unicode-range subsets, and an emoji fetches only its own.
    const faces = await page.evaluate(() =>
      [...document.styleSheets].flatMap((sheet) =>
        [...sheet.cssRules].flatMap((rule) =>
          rule instanceof CSSFontFaceRule && rule.style.getPropertyValue('font-family').includes('Noto Color Emoji')
            ? [{ src: rule.style.getPropertyValue('src'), range: rule.style.getPropertyValue('unicode-range') }]
            : [],
        ),
      ),
    );
    expect(faces.length).toBeGreaterThan(5);
    expect(faces.every((face) => face.range !== '')).toBe(true);
    const woff2 = /url\("?([^")]+\.woff2)"?\)/.exec(faces[0]!.src)?.[1];
    expect(woff2).toMatch(/^\/assets\//);
    const served = await page.evaluate(async (url) => {
      const response = await fetch(url);
      return [response.status, response.headers.get('content-type'), (await response.arrayBuffer()).byteLength];
    }, woff2!);
    expect(served.slice(0, 2)).toEqual([200, 'font/woff2']);
    const loaded = await page.evaluate(async () => {
      await document.fonts.load('40px "Noto Color Emoji"', '🎉');
      return [...document.fonts].filter((f) => f.family.replaceAll('"', '') === 'Noto Color Emoji').map((f) => f.status);
    });
    expect(loaded.filter((status) => status === 'loaded').length).toBeGreaterThan(0);
    expect(loaded.filter((status) => status === 'loaded').length).toBeLessThan(loaded.length);
    await snap(page, 'big-emoji');
  });

  if (kind === 'sqlite') {
    it('the picker searches by name, applies the remembered skin tone, puts recent emoji first, inserts at the caret and is driven by the keyboard', async () => {
      const threadId = await createThread(server, ada, 'Picker');
      const page = await tools.page(bob);
      await openThread(page, threadId);
      const box = page.getByRole('textbox', { name: 'Message' });
      const button = page.getByRole('button', { name: 'Insert emoji' });
      const picker = page.getByRole('dialog', { name: 'Emoji picker' });
      const search = picker.getByRole('searchbox', { name: 'Search emoji' });

      await box.fill('ab');
      await box.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(1, 1));
      await button.click();
      await picker.waitFor();
      expect(await button.getAttribute('aria-expanded')).toBe('true');
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Search emoji');
      await picker.locator('.emoji-cell').first().waitFor();
      expect(await picker.getByRole('region').first().getAttribute('aria-label')).toBe('Smileys & emotion');

      // Search by name, then by tag: "party popper", "celebrate".
      await search.fill('party popper');
      expect(await picker.locator('.emoji-cell').first().getAttribute('data-emoji')).toBe('🎉');
      await search.fill('celebrate');
      expect(await picker.locator('.emoji-cell').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-emoji')))).toContain('🎉');

      // A skin tone applies to the results.
      await picker.getByRole('radio', { name: 'Medium skin tone' }).click();
      await search.fill('thumbs up');
      expect(await picker.locator('.emoji-cell').first().getAttribute('data-emoji')).toBe('👍🏽');
      await snap(page, 'picker');
      // ↓ enters the grid, → moves, Enter picks: inserted at the caret, the focus back in the text after it.
      await search.press('ArrowDown');
      await page.keyboard.press('Enter');
      await picker.waitFor({ state: 'detached' });
      await expect.poll(() => box.inputValue()).toBe('a👍🏽b');
      expect(await box.evaluate((el: HTMLTextAreaElement) => [document.activeElement === el, el.selectionStart])).toEqual([true, 1 + '👍🏽'.length]);

      // Enter in the search box picks the first result.
      await button.click();
      await search.fill('tada');
      await search.press('Enter');
      await expect.poll(() => box.inputValue()).toBe('a👍🏽🎉b');

      // Recent first (most recent first), the tone remembered after a reload.
      await page.reload();
      await waitLive(page);
      await button.click();
      await picker.locator('.emoji-cell').first().waitFor();
      const recent = picker.getByRole('region', { name: 'Recent' });
      expect(await picker.getByRole('region').first().getAttribute('aria-label')).toBe('Recent');
      expect((await recent.locator('.emoji-cell').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-emoji')))).slice(0, 2)).toEqual(['🎉', '👍🏽']);
      expect(await picker.getByRole('radio', { name: 'Medium skin tone' }).getAttribute('aria-checked')).toBe('true');
      expect(await picker.getByRole('region', { name: 'People & body' }).locator('.emoji-cell[data-emoji="👍🏽"]').count()).toBe(1);

      // Escape closes and gives the focus back to the text; so does nothing but close a click elsewhere.
      await page.keyboard.press('Escape');
      await picker.waitFor({ state: 'detached' });
      await expect.poll(() => box.evaluate((el) => document.activeElement === el)).toBe(true);
      await button.click();
      await picker.waitFor();
      await page.locator('.thread-header').click();
      await picker.waitFor({ state: 'detached' });
      expect(await button.getAttribute('aria-expanded')).toBe('false');
    });

    it('typing : and two letters offers emoji by shortcode: Enter or Tab picks, Escape closes; the server turns a typed :tada: into 🎉', async () => {
      const threadId = await createThread(server, ada, 'Completion');
      const page = await tools.page(ada);
      await openThread(page, threadId);
      const box = page.getByRole('textbox', { name: 'Message' });
      const options = page.getByRole('listbox', { name: 'Emoji' });
      await box.focus();

      await page.keyboard.type('shipped :tad');
      await options.waitFor();
      expect(await options.getByRole('option').first().innerText()).toContain(':tada:');
      expect(await options.getByRole('option').first().getAttribute('aria-selected')).toBe('true');
      expect(await box.getAttribute('aria-activedescendant')).toBe(await options.getByRole('option').first().getAttribute('id'));
      await snap(page, 'completion');
      await page.keyboard.press('Enter');
      await expect.poll(() => box.inputValue()).toBe('shipped 🎉 ');
      expect(await options.count()).toBe(0);

      // ↓ moves, Tab picks.
      await page.keyboard.type(':heart');
      await options.waitFor();
      const second = await options.getByRole('option').nth(1).innerText();
      await page.keyboard.press('ArrowDown');
      expect(await options.getByRole('option').nth(1).getAttribute('aria-selected')).toBe('true');
      await page.keyboard.press('Tab');
      const picked = second.split(' ')[0]!;
      await expect.poll(() => box.inputValue()).toBe(`shipped 🎉 ${picked} `);

      // Escape closes without touching the text; a time is never taken for a shortcode.
      await page.keyboard.type(':smi');
      await options.waitFor();
      await page.keyboard.press('Escape');
      expect(await options.count()).toBe(0);
      await expect.poll(() => box.inputValue()).toBe(`shipped 🎉 ${picked} :smi`);
      await box.fill('at 12:30');
      await box.press('End');
      expect(await options.count()).toBe(0);

      // Sent as typed; the server converts the shortcode.
      await send(page, 'done :tada:');
      const last = page.locator('.messages > li.message:not(.pending) .message-body').last();
      await expect.poll(() => last.innerText(), { timeout: 5_000 }).toBe('done 🎉');
    });
  }

  /** How many pixels of the element's screenshot are clearly coloured (emoji), not grey (text). */
  async function colourfulPixels(element: Locator): Promise<number> {
    const { data, info } = await sharp(await element.screenshot()).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    let count = 0;
    for (let i = 0; i < info.width * info.height * 3; i += 3) {
      const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
      if (Math.max(r, g, b) - Math.min(r, g, b) > 80) count += 1;
    }
    return count;
  }

  /** A signed-in context that ignores the page's CSP (the XSS test's trap must be able to fire). */
  async function bypassingContext(account: Account): Promise<BrowserContext> {
    // Tall enough that the virtualized list keeps every message of the corpus in the DOM, where the checks look.
    const context = await scene.browser.newContext({ baseURL: server.baseUrl, viewport: { width: desktop.width, height: 6_000 }, colorScheme: 'light', bypassCSP: true, serviceWorkers: 'block' });
    ownContexts.push(context);
    await context.addInitScript((token) => localStorage.setItem('thrds.token', token), account.token);
    return context;
  }
});
