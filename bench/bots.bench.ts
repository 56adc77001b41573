/**
 * The companion's own overhead (issue 15): a loopback model that answers
 * at once, a bot in this process on a real database, calls posted one at a
 * time. Reported, p50 and p99: from the triggering post's commit to the
 * first draft chunk, and to the reply being in the log (seen on the feed,
 * as a subscriber would see it). The baseline is the engine alone talking
 * to the same loopback model (ask → first piece, ask → last piece): what is
 * left above it is Thrds' (the feed, the reads, the prompt, the post).
 */
import type { BenchModule, BenchRow } from './types.ts';
import type { StoreKind } from '../test/support/databases.ts';
import { Histogram } from './support/histogram.ts';
import { fmt } from './support/table.ts';
import { openBotWorld } from '../test/bots/support/botWorld.ts';
import { waitFor } from '../test/support/waitFor.ts';

const REPLY = 'Thrds measures itself: this reply is about sixty characters.';

interface Timings {
  readonly firstDraft: Histogram;
  readonly reply: Histogram;
  readonly engineFirst: Histogram;
  readonly engineLast: Histogram;
}

async function measure(kind: StoreKind, calls: number): Promise<Timings> {
  const world = await openBotWorld(kind);
  try {
    world.model.setMode({ kind: 'reply', text: REPLY, chunkSize: 8 });
    const timings: Timings = { firstDraft: new Histogram(), reply: new Histogram(), engineFirst: new Histogram(), engineLast: new Histogram() };
    // The baseline first, alone: the engine and the model with nothing of Thrds around them (after a few calls that warm the connection and the JIT).
    for (let i = -5; i < calls; i += 1) {
      const started = performance.now();
      let first: number | undefined;
      for await (const piece of world.engine.stream({ messages: [{ role: 'user', content: `call ${i}` }], maxTokens: 100, signal: AbortSignal.timeout(10_000) })) {
        if (piece !== '') first ??= performance.now() - started;
      }
      if (i < 0) continue;
      timings.engineFirst.record(first ?? Number.NaN);
      timings.engineLast.record(performance.now() - started);
    }
    const bots = await world.start({ settings: { repliesPerThreadPerMinute: 1_000_000, repliesPerUserPerHour: 1_000_000, cooldownMs: 0 } });
    await waitFor(() => bots.stats.held === 1, { what: 'the bot to run' });
    let firstDraftAt: number | undefined;
    let replyAt: number | undefined;
    let awaited = '';
    const unwatch = world.services.botDrafts.watch(world.threadId, (draft) => {
      if (draft.replyToId === awaited && !draft.ended) firstDraftAt ??= performance.now();
    });
    const unfeed = world.t.feed.onAdvance((events) => {
      for (const event of events) if (event.type === 'MessagePosted' && event.data.replyToId === awaited && event.metadata.actorId === world.bot.id) replyAt ??= performance.now();
    });
    try {
      for (let i = 0; i < calls; i += 1) {
        firstDraftAt = undefined;
        replyAt = undefined;
        const posting = performance.now();
        const call = await world.post(i % 2 ? world.ana : world.bob, `@pip call number ${i}`);
        awaited = call.id;
        // Measured from the commit (the post's answer): the feed may have handed the call over already.
        const committed = performance.now();
        await waitFor(() => replyAt !== undefined, { what: `the reply to call ${i}`, intervalMs: 1 });
        timings.reply.record(replyAt! - committed);
        if (firstDraftAt !== undefined) timings.firstDraft.record(Math.max(0, firstDraftAt - Math.max(committed, posting)));
      }
    } finally {
      unwatch();
      unfeed();
    }
    return timings;
  } finally {
    await world.dispose();
  }
}

export const run: BenchModule = async (options) => {
  const calls = options.quick ? 20 : 300;
  const rows: BenchRow[] = [];
  for (const kind of ['sqlite', 'mariadb'] as const) {
    const t = await measure(kind, calls);
    const store = kind === 'sqlite' ? 'SQLite' : 'MariaDB';
    const p = (h: Histogram, q: number) => Number(h.quantile(q).toFixed(2));
    for (const q of [0.5, 0.99] as const) {
      const label = q === 0.5 ? 'p50' : 'p99';
      rows.push({
        name: `bot: post → first draft, ${store}, ${label}`,
        value: p(t.firstDraft, q),
        unit: 'ms',
        baseline: { name: `engine alone: ask → first piece, ${label}`, value: p(t.engineFirst, q) },
        ratio: Number((p(t.firstDraft, q) / p(t.engineFirst, q)).toFixed(2)),
        note: `${t.firstDraft.count} of ${calls} calls drafted before the reply (a reply that fits one draft interval may post first)`,
      });
      rows.push({
        name: `bot: post → reply in the log, ${store}, ${label}`,
        value: p(t.reply, q),
        unit: 'ms',
        baseline: { name: `engine alone: ask → last piece, ${label}`, value: p(t.engineLast, q) },
        ratio: Number((p(t.reply, q) / p(t.engineLast, q)).toFixed(2)),
        note:
          q === 0.5
            ? `Thrds' own share at p50: ${fmt(p(t.reply, q) - p(t.engineLast, q))} ms (${calls} calls, one at a time)`
            : `each p99 on its own (${calls} calls): not a difference of the same calls`,
      });
    }
  }
  return rows;
};
