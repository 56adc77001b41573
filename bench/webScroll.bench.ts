/**
 * Scrolling a long thread in the web app (issue 16, item 7): the virtualized
 * message list against a real server (SQLite) in Debian's chromium.
 *
 * For threads of 1,000 and 10,000 messages (seeded through the event log,
 * test/web/support/longThread.ts, not posted one by one), opened at their
 * oldest message (so the whole history is loaded, by the jump's cursor walk),
 * at 1x and 4x CPU (CDP Emulation.setCPUThrottlingRate): DOM nodes in the
 * list and in the page, then the frame times while the page scrolls through
 * the thread from the top (once settled there) a fixed distance per frame, three
 * passes at each rate (requestAnimationFrame deltas; the worst, the 95th
 * percentile and the frames over 50 ms) and the long animation frames the
 * browser counted. Target: under 1,000 nodes in the list, no frame over 50 ms
 * at 4x. No same-run baseline: the list is no longer drawn any other way.
 * --quick (in CI) does the 1,000-message thread only, one shorter pass;
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
/** Frames the list is given at the top before the clock starts (its rows there are drawn and measured). */
const settleFrames = 30;
/** Passes through the thread at each rate in a full run; the figures are over all of them (one in CI's --quick). */
const passes = 3;

/** One pass: each frame's time (requestAnimationFrame deltas), and the animation frames the browser counted as long. */
interface Pass {
  readonly deltas: number[];
  readonly longFrames: number;
}

/**
 * Frame times come in whole vsync intervals (16.7 ms): a frame of three reads 49.9 to 50.1 ms, so "over
 * 50 ms" is a frame that missed a fourth one. The browser's own long-animation-frame count is not rounded so.
 */
const overTarget = (ms: number) => ms > 50.5;

/**
 * Scrolls the list `pxPerFrame` every frame for `frames` frames, from the top;
 * frame times on the page's own clock. Plain JavaScript in a string: tsx
 * would wrap a compiled function's inner closures in a helper the page lacks.
 */
const scrollScript = `({ frames, pxPerFrame, settleFrames }) => new Promise((resolve, reject) => {
  const scroller = document.querySelector('.message-scroller');
  if (!scroller) return reject(new Error('no message list'));
  let long = 0;
  const observer = new PerformanceObserver((list) => { long += list.getEntries().filter((e) => e.duration > 50).length; });
  const deltas = [];
  let last = 0;
  let n = 0;
  const step = (now) => {
    deltas.push(now - last);
    last = now;
    scroller.scrollTop += pxPerFrame;
    if (++n < frames && scroller.scrollTop + scroller.clientHeight < scroller.scrollHeight) return requestAnimationFrame(step);
    observer.disconnect();
    resolve({ deltas, longFrames: long });
  };
  // To the top, and the clock starts once the list has settled there: that jump is not a scrolled frame.
  scroller.scrollTop = 0;
  let settle = settleFrames;
  const settling = () => {
    if (--settle > 0) return requestAnimationFrame(settling);
    observer.observe({ type: 'long-animation-frame', buffered: false });
    requestAnimationFrame((now) => { last = now; requestAnimationFrame(step); });
  };
  requestAnimationFrame(settling);
})`;

async function scrollThrough(page: Page, frames: number, pxPerFrame: number): Promise<Pass> {
  const handle = await page.evaluateHandle(scrollScript);
  try {
    return (await handle.evaluate((run, args) => (run as unknown as (a: typeof args) => Promise<Pass>)(args), { frames, pxPerFrame, settleFrames })) as Pass;
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
      const runs: Pass[] = [];
      for (let pass = 0; pass < (quick ? 1 : passes); pass++) runs.push(await scrollThrough(page, quick ? 60 : 400, pxPerFrame));
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
      const deltas = runs.flatMap((r) => r.deltas).sort((a, b) => a - b);
      const frames = `${deltas.length} frames of ${pxPerFrame} px in ${runs.length} pass${runs.length === 1 ? '' : 'es'}`;
      const label = `${count.toLocaleString('en')} messages (${count.toLocaleString('en')} loaded), ${rate}x CPU`;
      rows.push(
        { name: `webScroll: DOM nodes in the list, ${label}`, value: nodes.list, unit: 'nodes', note: 'target < 1,000' },
        { name: `webScroll: DOM nodes in the page, ${label}`, value: nodes.page, unit: 'nodes' },
        { name: `webScroll: worst frame scrolling, ${label}`, value: Number((deltas.at(-1) ?? 0).toFixed(1)), unit: 'ms', note: frames },
        { name: `webScroll: p95 frame scrolling, ${label}`, value: Number((deltas[Math.floor(deltas.length * 0.95)] ?? 0).toFixed(1)), unit: 'ms' },
        { name: `webScroll: frames over 50 ms (a fourth vsync missed), ${label}`, value: deltas.filter(overTarget).length, unit: 'frames', note: `${frames}; target 0 at 4x` },
        { name: `webScroll: long animation frames (> 50 ms, the browser's count), ${label}`, value: runs.reduce((n, r) => n + r.longFrames, 0), unit: 'frames' },
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
