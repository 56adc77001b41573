/**
 * GraphiQL in a real browser (Debian's chromium) with no internet: every
 * request that is not to the Thrds server is refused, as it would be
 * offline. The editor still renders, a query returns data and a
 * subscription streams events over SSE, live, and the page breaks none of
 * its own CSP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './support/browser.ts';
import { CREATE_THREAD, POST, signUp, startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let browser: Browser;
let token: string;
let threadId: string;

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer('sqlite'), launchChromium()]);
  token = (await signUp(server, 'graphiql_user')).token;
  const thread = await server.ok<{ createThread: { thread: { id: string } } }>(CREATE_THREAD, { title: 'Offline thread' }, token);
  threadId = thread.createThread.thread.id;
  await server.ok(POST, { t: threadId, b: 'first message' }, token);
});

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

interface OfflinePage {
  readonly page: Page;
  readonly context: BrowserContext;
  /** Every request the page (and its workers) made, by URL. */
  readonly requested: string[];
  /** The URLs of the requests that asked for an event stream. */
  readonly streams: string[];
  /** Requests to anywhere but the server, refused. */
  readonly refused: string[];
  /** Console errors and uncaught exceptions (a CSP violation is one). */
  readonly problems: string[];
}

/** A page in a context where only the server answers: anything else fails as it would with no network. */
async function offlinePage(): Promise<OfflinePage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const requested: string[] = [];
  const streams: string[] = [];
  const refused: string[] = [];
  const problems: string[] = [];
  const serverOrigin = new URL(server.url).origin;
  context.on('request', (request) => {
    requested.push(request.url());
    if ((request.headers()['accept'] ?? '').includes('text/event-stream')) streams.push(request.url());
  });
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (new URL(url).origin === serverOrigin) return route.continue();
    refused.push(url);
    return route.abort('internetdisconnected');
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(String(error)));
  return { page, context, requested, streams, refused, problems };
}

/** GraphiQL opened with `query` in its editor (yoga's GraphiQL reads `?query=`). */
async function openGraphiQL(page: Page, query: string): Promise<void> {
  await page.goto(`${server.url}?query=${encodeURIComponent(query)}`);
  await page.locator('.graphiql-container .graphiql-query-editor .monaco-editor').waitFor({ timeout: 30_000 });
}

/** Runs the operation in the editor and waits until the response pane shows `text`. */
async function runUntilResponseShows(page: Page, text: string): Promise<void> {
  await page.locator('.graphiql-execute-button').click();
  await page.locator('.graphiql-response', { hasText: text }).waitFor({ timeout: 20_000 });
}

function sameOrigin(url: string): boolean {
  return url.startsWith(new URL(server.url).origin) || url.startsWith('data:') || url.startsWith('blob:');
}

describe('GraphiQL with no internet', () => {
  it('renders the editor from assets the server serves, and a query returns data', async () => {
    const { page, context, requested, refused, problems } = await offlinePage();
    try {
      await openGraphiQL(page, 'query Offline { threads(first: 5) { edges { node { id title } } } }');
      await runUntilResponseShows(page, 'Offline thread');

      expect(refused).toEqual([]);
      expect(requested.filter((url) => !sameOrigin(url))).toEqual([]);
      // The script, the styles and the editor's worker all came from the server.
      expect(requested.some((url) => /\/graphiql\/[^/]+\/yoga-graphiql\.umd\.js$/.test(url))).toBe(true);
      expect(requested.some((url) => /\/graphiql\/[^/]+\/graphiql\.css$/.test(url))).toBe(true);
      expect(requested.some((url) => /\/graphiql\/[^/]+\/editor\.worker\.js$/.test(url))).toBe(true);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('streams a subscription over SSE: the replay first, then a message posted while it runs', async () => {
    const { page, context, streams, refused, problems } = await offlinePage();
    try {
      await openGraphiQL(page, `subscription Live { threadEvents(threadId: "${threadId}", after: "0") { ... on MessagePosted { position message { body } } } }`);
      await runUntilResponseShows(page, 'first message');
      await server.ok(POST, { t: threadId, b: 'posted while GraphiQL listens' }, token);
      await page.locator('.graphiql-response', { hasText: 'posted while GraphiQL listens' }).waitFor({ timeout: 20_000 });

      expect(streams.map((url) => new URL(url).pathname)).toEqual(['/graphql']);
      expect(refused).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
