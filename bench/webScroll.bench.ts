/**
 * Scrolling a long thread in the web app (issue 16, item 7): the virtualized
 * message list against a real server (SQLite) in Debian's chromium.
 *
 * For threads of 1,000 and 10,000 messages (seeded through the event log,
 * test/web/support/longThread.ts, not posted one by one), opened at their
 * oldest message (so the whole history is loaded, by the jump's cursor walk),
 * at 1x and 4x CPU (CDP Emulation.setCPUThrottlingRate): DOM nodes in the
 * list and in the page, then the frame times while the page scrolls through
 * the thread from top to bottom a fixed distance per frame (requestAnimationFrame
 * deltas; the worst and the 95th percentile) and the long animation frames
 * the browser counted. Target: under 1,000 nodes in the list, no frame over
 * 50 ms at 4x. No same-run baseline: the list is no longer drawn any other way.
 * --quick (in CI) does the 1,000-message thread only and scrolls a shorter stretch;
 * THRDS_BENCH_SCROLL_COUNTS=10000 (a comma list) picks the thread sizes of a full run.
 */
import type { Browser, Page } from 'playwright-core';
import { ensureWebBuild } from '../src/http/webApp.ts';
import { launchChromium, signedInContext, waitLive } from '../test/web/support/browser.ts';
import { register } from '../test/web/support/webServer.ts';
import { longThreadId, messageId, messageText, startServerWithLongThread } from '../test/web/support/longThread.ts';
import type { BenchModule, BenchRow } from './types.ts';

/** Scrolled each frame: a brisk flick, several rows a frame, so rows keep mounting. */
const pxPerFrame = 200;

interface Scroll {
  readonly frames: number;
  readonly worstMs: number;
  readonly p95Ms: number;
  readonly longFrames: number;
}

/**
 * Scrolls the list `pxPerFrame` every frame for `frames` frames, from the top;
 * frame times on the page's own clock. Plain JavaScript in a string: tsx
 * would wrap a compiled function's inner closures in a helper the page lacks.
 */
const scrollScript = `({ frames, pxPerFrame }) => new Promise((resolve, reject) => {
  const scroller = document.querySelector('.message-scroller');
  if (!scroller) return reject(new Error('no message list'));
  let long = 0;
  const observer = new PerformanceObserver((list) => { long += list.getEntries().filter((e) => e.duration > 50).length; });
  observer.observe({ type: 'long-animation-frame', buffered: false });
  const deltas = [];
  let last = 0;
  let n = 0;
  const step = (now) => {
    deltas.push(now - last);
    last = now;
    scroller.scrollTop += pxPerFrame;
    if (++n < frames && scroller.scrollTop + scroller.clientHeight < scroller.scrollHeight) return requestAnimationFrame(step);
    observer.disconnect();
    const sorted = deltas.sort((a, b) => a - b);
    resolve({
      frames: sorted.length,
      worstMs: sorted.at(-1) ?? 0,
      p95Ms: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? 0,
      longFrames: long,
    });
  };
  scroller.scrollTop = 0;
  requestAnimationFrame((now) => { last = now; requestAnimationFrame(step); });
})`;

async function scrollThrough(page: Page, frames: number, pxPerFrame: number): Promise<Scroll> {
  const handle = await page.evaluateHandle(scrollScript);
  try {
    return (await handle.evaluate((run, args) => (run as unknown as (a: typeof args) => Promise<Scroll>)(args), { frames, pxPerFrame })) as Scroll;
  } finally {
    await handle.dispose();
  }
}

async function measure(browser: Browser, count: number, quick: boolean, progress: (what: string) => void): Promise<BenchRow[]> {
  const server = await startServerWithLongThread(count);
  const context = await signedInContext(browser, server.baseUrl, await register(server, 'Reader'));
  try {
    progress(`${count} messages seeded, server up`);
    // The whole history in, by a jump to the first message (the load is not what is measured).
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await page.goto(`/t/${longThreadId}/m/${messageId(0)}`);
    await waitLive(page);
    await page.locator('.messages > li.message.jump-target', { hasText: messageText(0) }).waitFor({ timeout: quick ? 60_000 : 240_000 });
    progress(`${count} messages loaded`);
    const rows: BenchRow[] = [];
    for (const rate of [1, 4]) {
      await cdp.send('Emulation.setCPUThrottlingRate', { rate });
      const nodes = await page.evaluate(() => ({
        list: document.querySelector('.message-list')?.querySelectorAll('*').length ?? 0,
        page: document.querySelectorAll('*').length,
      }));
      const scroll = await scrollThrough(page, quick ? 60 : 400, pxPerFrame);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
      const label = `${count.toLocaleString('en')} messages (${count.toLocaleString('en')} loaded), ${rate}x CPU`;
      rows.push(
        { name: `webScroll: DOM nodes in the list, ${label}`, value: nodes.list, unit: 'nodes', note: 'target < 1,000' },
        { name: `webScroll: DOM nodes in the page, ${label}`, value: nodes.page, unit: 'nodes' },
        { name: `webScroll: worst frame scrolling, ${label}`, value: Number(scroll.worstMs.toFixed(1)), unit: 'ms', note: `${scroll.frames} frames of ${pxPerFrame} px; target < 50 ms at 4x` },
        { name: `webScroll: p95 frame scrolling, ${label}`, value: Number(scroll.p95Ms.toFixed(1)), unit: 'ms' },
        { name: `webScroll: long animation frames (> 50 ms), ${label}`, value: scroll.longFrames, unit: 'frames' },
      );
      progress(`${label} measured`);
    }
    return rows;
  } finally {
    await context.close();
    await server.stop();
  }
}

export const run: BenchModule = async (options) => {
  const started = performance.now();
  const progress = (what: string) => console.error(`[bench] webScroll: ${what} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  await ensureWebBuild();
  const browser = await launchChromium();
  try {
    const rows: BenchRow[] = [];
    const counts = process.env.THRDS_BENCH_SCROLL_COUNTS?.split(',').map(Number) ?? [1_000, 10_000];
    for (const count of options.quick ? [1_000] : counts) rows.push(...(await measure(browser, count, options.quick, progress)));
    return rows;
  } finally {
    await browser.close();
  }
};
