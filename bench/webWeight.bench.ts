/**
 * The weight of the web app (issue 16, item 7): what the browser downloads
 * and how soon it shows something.
 *
 * - Bundle sizes from the built web/dist, raw, gzip and Brotli (the copies the
 *   build wrote, as the server sends them), per script and stylesheet and in
 *   total; baseline: the raw bytes.
 * - With the real server (SQLite) and Debian's chromium: first contentful
 *   paint and "ready" (the thread list shown) on a cold load (a fresh browser
 *   context, so an empty cache), median of several loads, on localhost and on
 *   an emulated 10 Mbit/s, 40 ms link; baseline: the same load with the
 *   browser accepting no content encoding (raw bytes), and the bytes it moved.
 * - DOM nodes of a thread with 1,000 messages (200 with --quick) once its
 *   whole history is loaded by scrolling up; baseline: the same thread as
 *   first opened (one page).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { defaultDistDir, ensureWebBuild } from '../src/http/webApp.ts';
import { launchChromium } from '../test/web/support/browser.ts';
import { createThread, register, startWebServer, type Account, type WebServer } from '../test/web/support/webServer.ts';
import type { BenchModule, BenchRow } from './types.ts';

const KiB = 1024;
const textAsset = /\.(js|mjs|css|html)$/;

interface AssetSize {
  readonly file: string;
  readonly raw: number;
  readonly gzip: number;
  readonly brotli: number;
}

/** The build's own `.br`/`.gz` copies when present (what the server sends), else made here at the same levels. */
function assetSize(path: string, file: string): AssetSize {
  const raw = readFileSync(path);
  const sibling = (suffix: string, make: () => Buffer): number => {
    try {
      return statSync(`${path}${suffix}`).size;
    } catch {
      return Math.min(raw.length, make().length);
    }
  };
  return {
    file,
    raw: raw.length,
    gzip: sibling('.gz', () => gzipSync(raw, { level: 9 })),
    brotli: sibling('.br', () => brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 10 } })),
  };
}

function bundleRows(): BenchRow[] {
  const assetsDir = join(defaultDistDir, 'assets');
  const assets = readdirSync(assetsDir)
    .filter((f) => textAsset.test(f))
    .map((f) => assetSize(join(assetsDir, f), `assets/${f}`));
  const index = assetSize(join(defaultDistDir, 'index.html'), 'index.html');
  const html = readFileSync(join(defaultDistDir, 'index.html'), 'utf8');
  const referenced = new Set([...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1]));
  const initial = [index, ...assets.filter((a) => referenced.has(a.file))];
  const sum = (list: readonly AssetSize[], key: 'raw' | 'gzip' | 'brotli') => list.reduce((n, a) => n + a[key], 0);
  const kib = (bytes: number) => Number((bytes / KiB).toFixed(1));
  const rows: BenchRow[] = [...assets]
    .sort((a, b) => b.raw - a.raw)
    .map((a) => ({
      name: `web bundle ${a.file}, Brotli`,
      value: kib(a.brotli),
      unit: 'KiB',
      baseline: { name: 'raw', value: kib(a.raw) },
      ratio: a.brotli / a.raw,
      note: `gzip ${kib(a.gzip)} KiB${referenced.has(a.file) ? '; loaded by index.html' : '; loaded on demand'}`,
    }));
  for (const [label, list] of [
    ['all scripts and styles', assets],
    ['initial load (index.html and what it references)', initial],
  ] as const) {
    const raw = sum(list, 'raw');
    rows.push(
      { name: `web bundle ${label}, gzip`, value: kib(sum(list, 'gzip')), unit: 'KiB', baseline: { name: 'raw', value: kib(raw) }, ratio: sum(list, 'gzip') / raw, note: `${list.length} files` },
      { name: `web bundle ${label}, Brotli`, value: kib(sum(list, 'brotli')), unit: 'KiB', baseline: { name: 'raw', value: kib(raw) }, ratio: sum(list, 'brotli') / raw, note: `${list.length} files` },
    );
  }
  return rows;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

interface ColdLoad {
  readonly firstPaintMs: number;
  readonly readyMs: number;
  readonly transferredBytes: number;
}

interface Link {
  readonly name: string;
  /** Bytes per second; null for an unthrottled localhost. */
  readonly bytesPerSecond: number | null;
  readonly latencyMs: number;
}

/** A cold load of `/` signed in: fresh context (empty cache), timings read from the page's own clock. */
async function coldLoad(browser: Browser, server: WebServer, account: Account, link: Link, compressed: boolean): Promise<ColdLoad> {
  const context: BrowserContext = await browser.newContext({ baseURL: server.baseUrl, viewport: { width: 1280, height: 800 } });
  try {
    await context.addInitScript((token) => {
      localStorage.setItem('thrds.token', token);
      // "Ready": the first thread shown in the list, stamped on the page's clock as it appears.
      const watch = new MutationObserver(() => {
        if (document.querySelector('.thread-list li')) {
          (window as unknown as { thrdsReadyAt: number }).thrdsReadyAt = performance.now();
          watch.disconnect();
        }
      });
      watch.observe(document, { childList: true, subtree: true });
    }, account.token);
    const page: Page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    // Debian's chromium has no Network.setAcceptedEncodings; an overridden header does the same.
    if (!compressed) await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'Accept-Encoding': 'identity' } });
    if (link.bytesPerSecond !== null) {
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: link.latencyMs,
        downloadThroughput: link.bytesPerSecond,
        uploadThroughput: link.bytesPerSecond,
      });
    }
    await page.goto('/');
    await page.waitForFunction(() => 'thrdsReadyAt' in window, undefined, { timeout: 30_000 });
    return await page.evaluate(() => {
      const paint = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN;
      const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')] as PerformanceResourceTiming[];
      const transferredBytes = entries.filter((e) => !e.name.includes('/graphql')).reduce((n, e) => n + e.transferSize, 0);
      return { firstPaintMs: paint, readyMs: (window as unknown as { thrdsReadyAt: number }).thrdsReadyAt, transferredBytes };
    });
  } finally {
    await context.close();
  }
}

async function loadRows(browser: Browser, server: WebServer, account: Account, runs: number, quick: boolean): Promise<BenchRow[]> {
  const links: Link[] = [
    { name: 'localhost', bytesPerSecond: null, latencyMs: 0 },
    ...(quick ? [] : [{ name: '10 Mbit/s, 40 ms', bytesPerSecond: 1_250_000, latencyMs: 40 }]),
  ];
  const rows: BenchRow[] = [];
  for (const link of links) {
    const loads = { compressed: [] as ColdLoad[], raw: [] as ColdLoad[] };
    // Interleaved, each going first in turn, so load on the machine falls on both alike.
    for (let i = 0; i < runs; i++) {
      for (const compressed of i % 2 === 0 ? [true, false] : [false, true]) {
        (compressed ? loads.compressed : loads.raw).push(await coldLoad(browser, server, account, link, compressed));
      }
    }
    const m = (list: readonly ColdLoad[], key: keyof ColdLoad) => median(list.map((l) => l[key]));
    const baselineName = 'same load, browser accepting no encoding (raw)';
    for (const [key, label, unit] of [
      ['firstPaintMs', 'first contentful paint', 'ms'],
      ['readyMs', 'ready (thread list shown)', 'ms'],
    ] as const) {
      rows.push({
        name: `web cold load ${label}, ${link.name}`,
        value: m(loads.compressed, key),
        unit,
        baseline: { name: baselineName, value: m(loads.raw, key) },
        ratio: m(loads.compressed, key) / m(loads.raw, key),
        note: `median of ${runs}; runs ${loads.compressed.map((l) => l[key].toFixed(0)).join(', ')} ms`,
      });
    }
    if (link.bytesPerSecond === null) {
      const value = m(loads.compressed, 'transferredBytes') / KiB;
      const baseline = m(loads.raw, 'transferredBytes') / KiB;
      rows.push({
        name: 'web cold load bytes transferred (page, scripts, styles; not /graphql)',
        value: Number(value.toFixed(1)),
        unit: 'KiB',
        baseline: { name: baselineName, value: Number(baseline.toFixed(1)) },
        ratio: value / baseline,
        note: 'with headers, as the browser counts them',
      });
    }
  }
  return rows;
}

/** Posts `count` messages, a few at a time. */
async function seedMessages(server: WebServer, account: Account, threadId: string, count: number): Promise<void> {
  const mutation = `mutation ($input: PostMessageInput!) { postMessage(input: $input) { message { id } } }`;
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const body = `message ${i}: ${'lorem ipsum dolor sit amet '.repeat(2 + (i % 8))}`;
      await server.gql(mutation, { input: { threadId, body } }, account.token);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

async function domRows(browser: Browser, server: WebServer, account: Account, messages: number, progress: (what: string) => void): Promise<BenchRow[]> {
  const threadId = await createThread(server, account, `A thread of ${messages} messages`);
  await seedMessages(server, account, threadId, messages);
  progress(`${messages} messages posted`);
  const context = await browser.newContext({ baseURL: server.baseUrl, viewport: { width: 1280, height: 800 } });
  try {
    await context.addInitScript((token) => localStorage.setItem('thrds.token', token), account.token);
    const page = await context.newPage();
    await page.goto(`/t/${threadId}`);
    await page.locator('.messages li.message').first().waitFor({ timeout: 15_000 });
    const count = () =>
      page.evaluate(() => ({
        page: document.querySelectorAll('*').length,
        list: document.querySelector('.messages')?.querySelectorAll('*').length ?? 0,
        items: document.querySelectorAll('.messages li.message').length,
      }));
    const first = await count();
    // Scroll to the top until the start of the thread shows: every page of history loaded.
    const start = page.getByText('This is the start of the thread.');
    const deadline = Date.now() + 120_000;
    while (!(await start.isVisible()) && Date.now() < deadline) {
      await page.evaluate(() => {
        const scroller = document.querySelector('.message-scroller');
        if (scroller) scroller.scrollTop = 0;
      });
      await page.waitForTimeout(50);
    }
    const complete = await start.isVisible();
    const all = await count();
    const baseline = { name: `same thread as first opened (${first.items} list items)`, value: first.page };
    return [
      {
        name: `web DOM nodes, whole page, thread of ${messages} messages, all history loaded`,
        value: all.page,
        unit: 'nodes',
        baseline,
        ratio: all.page / first.page,
        note: `${all.items} message items, ${all.list} nodes in the list${complete ? '' : '; the start of the thread never showed: history incomplete'}; target < 1,000 for the list`,
      },
    ];
  } finally {
    await context.close();
  }
}

export const run: BenchModule = async (options) => {
  const started = performance.now();
  const progress = (what: string) => console.error(`[bench] webWeight: ${what} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  await ensureWebBuild();
  const rows = bundleRows();
  const server = await startWebServer();
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const account = await register(server, 'Weigher');
    for (let i = 0; i < 10; i++) await createThread(server, account, `Thread ${i + 1}`);
    progress('built, server and chromium up');
    rows.push(...(await loadRows(browser, server, account, options.quick ? 1 : 5, options.quick)));
    progress('cold loads measured');
    rows.push(...(await domRows(browser, server, account, options.quick ? 200 : 1000, progress)));
    progress('DOM nodes counted');
    return rows;
  } finally {
    await browser?.close();
    await server.stop();
  }
};
