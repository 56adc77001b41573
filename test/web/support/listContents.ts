/**
 * What the open thread has loaded, read through the virtualized list: only
 * the rows near the view are in the DOM, so the list is scrolled from top to
 * bottom and each confirmed message read as it passes, in log order.
 */
import type { Page } from 'playwright-core';

export async function loadedMessageBodies(page: Page): Promise<string[]> {
  const seen = await page.locator('.message-scroller').evaluate(async (scroller) => {
    const bodies = new Map<string, { position: string; body: string }>();
    const read = () => {
      for (const row of scroller.querySelectorAll<HTMLElement>('.messages > li.message:not(.pending)[data-message-id]')) {
        const body = row.querySelector<HTMLElement>('.message-body')?.innerText ?? '';
        bodies.set(row.dataset.messageId ?? '', { position: row.dataset.position ?? '0', body });
      }
    };
    const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    // Virtuoso draws the rows of a new scroll position a few frames later, more on a busy machine: wait
    // (up to 40 frames) until drawn rows cover the view, so a step of half a view skips no row.
    const drawn = async () => {
      for (let i = 0; i < 40; i++) {
        await frame();
        const rows = scroller.querySelectorAll<HTMLElement>('.messages > li');
        const view = scroller.getBoundingClientRect();
        const top = rows[0]?.getBoundingClientRect().top ?? view.top;
        const bottom = rows[rows.length - 1]?.getBoundingClientRect().bottom ?? view.bottom;
        if (top <= view.top + 1 && bottom >= view.bottom - 1) return;
      }
    };
    scroller.scrollTop = 0;
    await drawn();
    for (;;) {
      read();
      if (scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 1) break;
      scroller.scrollTop += Math.max(100, scroller.clientHeight / 2);
      await drawn();
    }
    return [...bodies.values()];
  });
  return seen.sort((a, b) => (BigInt(a.position) < BigInt(b.position) ? -1 : 1)).map((m) => m.body);
}
