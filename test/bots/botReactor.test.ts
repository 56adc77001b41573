/**
 * The reactor in this process (src/bots/botReactor.ts), on a real database
 * and a loopback model over real HTTP: a call gets exactly one reply,
 * streamed as drafts first; what must not call a bot does not; a re-run
 * after a crash or a restart neither answers again nor asks the model
 * again; a failing model gives no reply after bounded attempts and the bot
 * goes on; limits refuse; two instances answer each call once.
 */
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { saveCheckpoint } from '../../src/bots/botCheckpoint.ts';
import type { AnswerReport } from '../../src/bots/answer.ts';
import { registerBotMetrics } from '../../src/bots/botMetrics.ts';
import type { Bots } from '../../src/bots/botReactor.ts';
import type { BotDraftValue } from '../../src/bots/types.ts';
import { addBot } from '../../src/modules/botAdded.ts';
import { inviteBot } from '../../src/modules/botInvited.ts';
import { removeBot } from '../../src/modules/botRemoved.ts';
import { uninviteBot } from '../../src/modules/botUninvited.ts';
import { deleteMessage } from '../../src/modules/messageDeleted.ts';
import { postMessage } from '../../src/modules/messagePosted.ts';
import { lockThread } from '../../src/modules/threadLockChanged.ts';
import { captureLogs, type CapturedLogs } from '../support/captureLogs.ts';
import { storeKinds } from '../support/databases.ts';
import { waitFor } from '../support/waitFor.ts';
import { type BotWorld, openBotWorld } from './support/botWorld.ts';
import { testCard } from './support/testCard.ts';

const kinds = await storeKinds();

/** Every report the reactor settles, to wait on instead of sleeping. */
function reportsOf(bots: Bots): AnswerReport[] {
  const reports: AnswerReport[] = [];
  bots.observe((report) => reports.push(report));
  return reports;
}

describe.each(kinds)('the bot reactor on %s', (kind) => {
  let world: BotWorld | undefined;
  let logs: CapturedLogs | undefined;
  afterEach(async () => {
    await world?.dispose();
    world = undefined;
    logs?.stop();
    logs = undefined;
  });

  it('a mention gets exactly one reply, to the message, as the bot, after drafts of it', async () => {
    world = await openBotWorld(kind);
    const w = world;
    w.model.setMode({ kind: 'reply', text: 'Steeping a fresh pot for you, Ana.', chunkSize: 4, chunkDelayMs: 40 });
    const drafts: BotDraftValue[] = [];
    const draftTimes: number[] = [];
    w.services.botDrafts.watch(w.threadId, (draft) => {
      drafts.push(draft);
      draftTimes.push(performance.now());
    });
    const bots = await w.start();
    await w.post(w.bob, 'The kettle is on.');
    const call = await w.post(w.ana, 'Hey @pip, tea?');
    const [reply] = await waitFor(async () => {
      const replies = await w.repliesTo(call.id);
      return replies.length > 0 && replies;
    }, { what: 'the reply' });
    expect(reply!.body).toBe('Steeping a fresh pot for you, Ana.');
    await waitFor(() => drafts.some((d) => d.ended), { what: 'the final draft' });
    // Drafts grew, each the whole text so far, and the last says it ended with the posted text.
    const growing = drafts.filter((d) => !d.ended);
    expect(growing.length).toBeGreaterThan(1);
    for (const [i, draft] of growing.entries()) {
      expect(draft).toMatchObject({ kind: 'BotDraft', threadId: w.threadId, botId: w.bot.id, replyToId: call.id });
      if (i > 0) expect(draft.text.startsWith(growing[i - 1]!.text)).toBe(true);
    }
    expect(drafts.at(-1)).toMatchObject({ ended: true, text: reply!.body });
    // At most one draft per 150 ms while the model writes (a little slack for timers firing early).
    for (let i = 1; i < growing.length; i += 1) expect(draftTimes[i]! - draftTimes[i - 1]!).toBeGreaterThanOrEqual(140);
    // The prompt: the card, then the thread in order, ending with the call.
    const prompt = w.model.requests[0]!.body.messages;
    const text = prompt.map((m) => String(m.content)).join('\n');
    expect(text).toContain('A cheerful kettle');
    expect(text.indexOf('The kettle is on.')).toBeLessThan(text.indexOf('Hey @pip, tea?'));
    expect(w.model.requests[0]!.body.stream).toBe(true);
    // Nothing more comes: one model call, one bot message.
    await w.post(w.bob, 'thanks');
    await waitFor(async () => (await readCheckpointOf(w)) >= w.t.feed.head, { what: 'the bot to read past the last message' });
    expect(w.model.requests).toHaveLength(1);
    expect(await w.botMessages()).toHaveLength(1);
    expect(bots.stats.answers.posted).toBe(1);
  });

  it('a reply to the bot’s message calls it; a message of another bot, even mentioning it, never does', async () => {
    world = await openBotWorld(kind);
    const w = world;
    const { bot: quill } = await addBot(w.services, null, { card: testCard({ name: 'Quill' }), username: 'quill' });
    const bots = await w.start();
    const reports = reportsOf(bots);
    const call = await w.post(w.ana, '@pip hello');
    const [first] = await waitFor(async () => nonEmpty(await w.repliesTo(call.id)), { what: 'the first reply' });
    // Quill (a bot) mentions pip and replies to it: no loop between bots.
    await postMessage(w.services, { userId: quill.id, correlationId: 'quill' }, { threadId: w.threadId, body: '@pip you are a kettle', replyToId: first!.id });
    const answer = await w.post(w.bob, 'really?', first!.id);
    await waitFor(async () => nonEmpty(await w.repliesTo(answer.id)), { what: 'the reply to a reply' });
    // Quill itself (running too: it answers mentions of quill only) says nothing, and pip answered twice in all.
    expect(await w.botMessages()).toHaveLength(2);
    // The reactor reports a reply once its append has returned, which may be just after the message is readable.
    await waitFor(() => reports.filter((r) => r.botId === w.bot.id && r.outcome === 'posted').length === 2, { what: 'the second reply reported' });
    expect(w.model.requests).toHaveLength(2);
  });

  it('nothing posted before the bot was added calls it', async () => {
    const early = await openBotWorld(kind);
    world = early;
    // A mention of "newbie" before newbie exists, then the bot is added.
    const old = await early.post(early.ana, '@newbie are you there?');
    const { bot: newbie } = await addBot(early.services, null, { card: testCard({ name: 'Newbie' }), username: 'newbie' });
    const bots = await early.start();
    await waitFor(() => bots.stats.held === 2, { what: 'both bots to run' });
    const now = await early.post(early.ana, '@newbie and now?');
    await waitFor(async () => (await early.t.db.query('SELECT 1 FROM messages WHERE author_id = ? AND reply_to_id = ?', [newbie.id, now.id])).length > 0, { what: 'the reply to the later mention' });
    expect(await early.t.db.query('SELECT 1 FROM messages WHERE author_id = ? AND reply_to_id = ?', [newbie.id, old.id])).toHaveLength(0);
  });

  it('invited, it greets without asking the model, then answers every message there, and stops when uninvited', async () => {
    world = await openBotWorld(kind);
    const w = world;
    const bots = await w.start();
    const reports = reportsOf(bots);
    await inviteBot(w.services, w.ana, { threadId: w.threadId, botId: w.bot.id });
    const [greeting] = await waitFor(async () => nonEmpty(await w.botMessages()), { what: 'the greeting' });
    expect(greeting!.body).toBe('Hello Ana, Pip here. Tea?');
    expect(greeting!.replyToId).toBeNull();
    expect(w.model.requests).toHaveLength(0);
    const plain = await w.post(w.bob, 'morning all');
    await waitFor(async () => nonEmpty(await w.repliesTo(plain.id)), { what: 'the reply in the invited thread' });
    await uninviteBot(w.services, w.ana, { threadId: w.threadId, botId: w.bot.id });
    await w.post(w.bob, 'quiet now');
    await waitFor(async () => (await readCheckpointOf(w)) >= w.t.feed.head, { what: 'the bot to read past the last message' });
    expect(await w.botMessages()).toHaveLength(2);
    expect(reports.map((r) => `${r.kind}:${r.outcome}`)).toEqual(['greet:posted', 'reply:posted']);
  });

  it('removed, it answers nothing at once, nor later what was said while it was away; added again, it answers anew', async () => {
    world = await openBotWorld(kind);
    const w = world;
    const bots = await w.start();
    await waitFor(() => bots.stats.held === 1, { what: 'the bot to run' });
    await removeBot(w.services, null, { username: 'pip' });
    // Before the reactor's next look at the leases: the loop itself finds the bot removed.
    const away = await w.post(w.ana, '@pip are you gone?');
    await waitFor(() => bots.stats.held === 0, { what: 'the loop to stop' });
    await addBot(w.services, null, { card: testCard(), username: 'pip' });
    await waitFor(() => bots.stats.held === 1, { what: 'the bot to run again' });
    const back = await w.post(w.ana, '@pip welcome back');
    await waitFor(async () => nonEmpty(await w.repliesTo(back.id)), { what: 'the reply after coming back' });
    expect(await w.repliesTo(away.id)).toHaveLength(0);
    expect(w.model.requests).toHaveLength(1);
  });

  it('a bot removed and added again while no reactor ran does not answer what was said while it was away', async () => {
    world = await openBotWorld(kind);
    const w = world;
    const before = await w.post(w.ana, '@pip before');
    await removeBot(w.services, null, { username: 'pip' });
    const away = await w.post(w.ana, '@pip while away');
    await addBot(w.services, null, { card: testCard(), username: 'pip' });
    const back = await w.post(w.ana, '@pip after');
    await w.start();
    await waitFor(async () => nonEmpty(await w.repliesTo(back.id)), { what: 'the reply after coming back' });
    expect(await w.repliesTo(away.id)).toHaveLength(0);
    // Said before the removal, never answered: also left behind (it starts where it came back).
    expect(await w.repliesTo(before.id)).toHaveLength(0);
    expect(w.model.requests).toHaveLength(1);
  });

  it('a restart answers nothing again; a re-run of a call answered before a crash asks the model nothing', async () => {
    world = await openBotWorld(kind);
    const w = world;
    const first = await w.start({ instanceId: 'first' });
    const call = await w.post(w.ana, '@pip one');
    await waitFor(async () => nonEmpty(await w.repliesTo(call.id)), { what: 'the reply' });
    await first.stop();
    // The crash: the reply is in the log but the checkpoint never moved past the call.
    await w.t.db.execute('DELETE FROM bot_checkpoints WHERE bot_id = ?', [w.bot.id]);
    await saveCheckpoint(w.t.db, w.bot.id, call.position - 1, Date.now());
    const second = await w.start({ instanceId: 'second' });
    const reports = reportsOf(second);
    await waitFor(() => reports.length > 0, { what: 'the call handled again' });
    expect(reports[0]!.outcome).toBe('already_answered');
    expect(w.model.requests).toHaveLength(1);
    expect(await w.repliesTo(call.id)).toHaveLength(1);
  });

  it('stopped while the model writes, it posts nothing; the next run answers once', async () => {
    world = await openBotWorld(kind);
    const w = world;
    w.model.setMode({ kind: 'reply', text: 'a slow and thoughtful answer', chunkSize: 2, chunkDelayMs: 100 });
    const first = await w.start({ instanceId: 'first' });
    const call = await w.post(w.ana, '@pip think hard');
    await waitFor(() => w.model.requests.length === 1, { what: 'the model to be asked' });
    await first.stop();
    expect(await w.repliesTo(call.id)).toHaveLength(0);
    expect(first.stats.answers.stopped).toBe(1);
    w.model.setMode({ kind: 'reply', text: 'done thinking' });
    await w.start({ instanceId: 'second' });
    await waitFor(async () => nonEmpty(await w.repliesTo(call.id)), { what: 'the reply after the restart' });
    expect((await w.repliesTo(call.id)).map((r) => r.body)).toEqual(['done thinking']);
  });

  it.each([
    ['down', { kind: 'down' }],
    ['garbage', { kind: 'garbage' }],
    ['hanging', { kind: 'hang' }],
  ] as const)('a model that is %s gives no reply after exactly the attempts allowed, one warn line, and the bot goes on', async (_name, mode) => {
    world = await openBotWorld(kind);
    const w = world;
    logs = captureLogs('warn');
    w.model.setMode(mode);
    const bots = await w.start({ settings: { attempts: 3, timeoutMs: 400 } });
    const reports = reportsOf(bots);
    const call = await w.post(w.ana, '@pip are you there?');
    await waitFor(() => reports.length === 1, { what: 'the call given up', timeoutMs: 15_000 });
    expect(reports[0]!.outcome).toBe('failed');
    expect(w.model.requests).toHaveLength(3);
    expect(await w.repliesTo(call.id)).toHaveLength(0);
    const warned = logs.atLeast('warn').filter((l) => l.botId === w.bot.id);
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatchObject({ bot: 'pip', threadId: w.threadId, trigger: expect.any(String) });
    // The model is back: the next call is answered.
    w.model.setMode({ kind: 'reply', text: 'back again' });
    const next = await w.post(w.ana, '@pip now?');
    await waitFor(async () => nonEmpty(await w.repliesTo(next.id)), { what: 'the reply once the model is back' });
  });

  it('while the model hangs, the rest of Thrds answers as usual: posts commit and are read at once', async () => {
    world = await openBotWorld(kind);
    const w = world;
    w.model.setMode({ kind: 'hang' });
    await w.start({ settings: { timeoutMs: 30_000 } });
    await w.post(w.ana, '@pip hello?');
    await waitFor(() => w.model.requests.length === 1, { what: 'the model to be asked' });
    const slowest = { ms: 0 };
    for (let i = 0; i < 20; i += 1) {
      const started = performance.now();
      const message = await w.post(w.bob, `still here ${i}`);
      const [read] = await w.t.db.query<{ id: string }>('SELECT id FROM messages WHERE id = ?', [message.id]);
      expect(read?.id).toBe(message.id);
      slowest.ms = Math.max(slowest.ms, performance.now() - started);
    }
    // Every post answered while the model call still hangs: none waited on it (the bound is loose: a busy machine is slow, a wait would be 30 s).
    expect(w.model.openResponses).toBe(1);
    expect(slowest.ms).toBeLessThan(5000);
  });

  it('a failure then a success is one reply, from the retry', async () => {
    world = await openBotWorld(kind);
    const w = world;
    w.model.queue({ kind: 'down', status: 503 }, { kind: 'reply', text: '', chunkSize: 1 });
    w.model.setMode({ kind: 'reply', text: 'third time lucky' });
    await w.start();
    const call = await w.post(w.ana, '@pip hello?');
    await waitFor(async () => nonEmpty(await w.repliesTo(call.id)), { what: 'the reply' });
    expect((await w.repliesTo(call.id)).map((r) => r.body)).toEqual(['third time lucky']);
    expect(w.model.requests).toHaveLength(3);
  });

  it('a refusal (401) is not tried again', async () => {
    world = await openBotWorld(kind);
    const w = world;
    w.model.setMode({ kind: 'down', status: 401 });
    const bots = await w.start();
    const reports = reportsOf(bots);
    await w.post(w.ana, '@pip hi');
    await waitFor(() => reports.length === 1, { what: 'the call given up' });
    expect(reports[0]!.outcome).toBe('failed');
    expect(w.model.requests).toHaveLength(1);
  });

  it('a message deleted while the model writes gets no reply', async () => {
    world = await openBotWorld(kind);
    const w = world;
    w.model.setMode({ kind: 'reply', text: 'a reply nobody will read', chunkSize: 2, chunkDelayMs: 60 });
    const bots = await w.start();
    const reports = reportsOf(bots);
    const call = await w.post(w.ana, '@pip oops');
    await waitFor(() => w.model.requests.length === 1, { what: 'the model to be asked' });
    await deleteMessage(w.services, w.ana, { messageId: call.id });
    await waitFor(() => reports.length === 1, { what: 'the call settled' });
    expect(reports[0]!.outcome).toBe('skipped');
    expect(await w.botMessages()).toHaveLength(0);
  });

  it('a thread locked while the model writes refuses the reply: no reply, one warn line naming why, and the bot goes on', async () => {
    world = await openBotWorld(kind);
    const w = world;
    logs = captureLogs('warn');
    w.model.setMode({ kind: 'reply', text: 'too late for this thread', chunkSize: 2, chunkDelayMs: 60 });
    const bots = await w.start();
    const reports = reportsOf(bots);
    const call = await w.post(w.ana, '@pip quick!');
    await waitFor(() => w.model.requests.length === 1, { what: 'the model to be asked' });
    // Ana registered first: she is the admin.
    await lockThread(w.services, w.ana, { threadId: w.threadId, locked: true });
    await waitFor(() => reports.length === 1, { what: 'the call settled' });
    expect(reports[0]!.outcome).toBe('refused');
    expect(await w.repliesTo(call.id)).toHaveLength(0);
    const warned = logs.atLeast('warn').filter((l) => l.botId === w.bot.id);
    expect(warned).toHaveLength(1);
    expect(String(warned[0]!.reason)).toMatch(/^the reply was refused: FORBIDDEN: .*locked/);
  });

  it('a long reply is cut at a word boundary to the longest allowed', async () => {
    world = await openBotWorld(kind);
    const w = world;
    w.model.setMode({ kind: 'reply', text: 'word '.repeat(100) });
    await w.start({ settings: { maxReplyChars: 42 } });
    const call = await w.post(w.ana, '@pip talk a lot');
    const [reply] = await waitFor(async () => nonEmpty(await w.repliesTo(call.id)), { what: 'the reply' });
    expect(reply!.body.length).toBeLessThanOrEqual(42);
    expect(reply!.body).toMatch(/^(word )+word…$/);
  });

  it('over the replies per thread per minute, or per user per hour, a call gets no reply and a warn line', async () => {
    world = await openBotWorld(kind);
    const w = world;
    logs = captureLogs('warn');
    const bots = await w.start({ settings: { repliesPerThreadPerMinute: 2, repliesPerUserPerHour: 3 } });
    const reports = reportsOf(bots);
    for (const body of ['@pip one', '@pip two', '@pip three']) await w.post(w.ana, body);
    await waitFor(() => reports.length === 3, { what: 'three calls settled' });
    expect(reports.map((r) => r.outcome)).toEqual(['posted', 'posted', 'limited']);
    expect(logs.atLeast('warn').filter((l) => l.botId === w.bot.id).map((l) => l.reason)).toEqual(['replies_per_thread']);
    // Another thread: the thread's window is fresh, but Ana has had 2 of her 3 for the hour.
    const { createThread } = await import('../../src/modules/threadCreated.ts');
    const { thread } = await createThread(w.services, w.bob, { title: 'Elsewhere' });
    for (const body of ['@pip four', '@pip five']) await postMessage(w.services, w.ana, { threadId: thread.id, body });
    await waitFor(() => reports.length === 5, { what: 'five calls settled' });
    expect(reports.slice(3).map((r) => r.outcome)).toEqual(['posted', 'limited']);
    expect(logs.atLeast('warn').filter((l) => l.botId === w.bot.id).map((l) => l.reason)).toEqual(['replies_per_thread', 'replies_per_user']);
  });

  it('the cool-down keeps two replies of the bot in one thread apart, without dropping the second call', async () => {
    world = await openBotWorld(kind);
    const w = world;
    await w.start({ settings: { cooldownMs: 700 } });
    const a = await w.post(w.ana, '@pip first');
    const b = await w.post(w.bob, '@pip second');
    const [ra] = await waitFor(async () => nonEmpty(await w.repliesTo(a.id)), { what: 'the first reply' });
    const [rb] = await waitFor(async () => nonEmpty(await w.repliesTo(b.id)), { what: 'the second reply' });
    const times = await w.t.db.query<{ posted_at: number }>('SELECT posted_at FROM messages WHERE id IN (?, ?) ORDER BY posted_at', [ra!.id, rb!.id]);
    expect(Number(times[1]!.posted_at) - Number(times[0]!.posted_at)).toBeGreaterThanOrEqual(650);
  });

  it('when another holder posts the reply first (same key) while the model still writes, the call is done: one reply', async () => {
    world = await openBotWorld(kind);
    const w = world;
    w.model.setMode({ kind: 'reply', text: 'my own slower answer', chunkSize: 2, chunkDelayMs: 60 });
    const bots = await w.start();
    const reports = reportsOf(bots);
    const call = await w.post(w.ana, '@pip race me');
    await waitFor(() => w.model.requests.length === 1, { what: 'the model to be asked' });
    // A stale holder of the lease (another instance) posts under the reply's key first.
    const [event] = await w.t.store.readAll({ after: call.position - 1, limit: 1 });
    await postMessage(w.services, { userId: w.bot.id, correlationId: 'stale' }, { threadId: w.threadId, body: 'the stale holder’s answer', replyToId: call.id, idempotencyKey: `reply:${event!.eventId}` });
    await waitFor(() => reports.length === 1, { what: 'the call settled' });
    expect(reports[0]!.outcome).toBe('already_answered');
    expect((await w.repliesTo(call.id)).map((r) => r.body)).toEqual(['the stale holder’s answer']);
  });

  it('a holder whose lease went to another instance while the model wrote does not post, and stops running the bot', async () => {
    world = await openBotWorld(kind);
    const w = world;
    w.model.setMode({ kind: 'reply', text: 'written by a holder that is no more', chunkSize: 2, chunkDelayMs: 60 });
    const bots = await w.start({ settings: { leaseMs: 60_000, renewMs: 60_000 } });
    const reports = reportsOf(bots);
    const call = await w.post(w.ana, '@pip who runs you?');
    await waitFor(() => w.model.requests.length === 1, { what: 'the model to be asked' });
    // Another instance took the lease (this one stalled past its expiry, say).
    await w.t.db.execute('UPDATE bot_leases SET holder = ?, expires_at = ? WHERE bot_id = ?', ['someone-else', Date.now() + 600_000, w.bot.id]);
    await waitFor(() => reports.length === 1, { what: 'the call settled' });
    expect(reports[0]!.outcome).toBe('lease_lost');
    expect(await w.repliesTo(call.id)).toHaveLength(0);
    await waitFor(() => bots.stats.held === 0, { what: 'the loop to end' });
    // Not settled: the checkpoint stays before the call, for the new holder to answer it.
    const [checkpoint] = await w.t.db.query<{ position: number | string }>('SELECT position FROM bot_checkpoints WHERE bot_id = ?', [w.bot.id]);
    expect(Number(checkpoint?.position ?? 0)).toBeLessThan(call.position);
  });

  it('answers show on /metrics: by outcome, with the model’s time', async () => {
    world = await openBotWorld(kind);
    const w = world;
    const bots = await w.start();
    const registry = new Registry();
    const stop = registerBotMetrics(registry, bots);
    const call = await w.post(w.ana, '@pip measure me');
    await waitFor(async () => nonEmpty(await w.repliesTo(call.id)), { what: 'the reply' });
    await waitFor(() => bots.stats.answers.posted === 1, { what: 'the answer reported' });
    const text = await registry.metrics();
    stop();
    expect(text).toContain('thrds_bot_answers_total{outcome="posted"} 1');
    expect(text).toContain('thrds_bots_held 1');
    expect(text).toMatch(/thrds_bot_model_duration_seconds_count 1/);
    expect(text).toMatch(/thrds_bot_first_token_seconds_count 1/);
  });

  it('two instances on one database answer each call exactly once, and one of them runs the bot', async () => {
    world = await openBotWorld(kind);
    const w = world;
    w.model.setMode({ kind: 'reply', text: 'only once', chunkSize: 3, chunkDelayMs: 5 });
    const one = await w.start({ instanceId: 'one', separate: true });
    const two = await w.start({ instanceId: 'two', separate: true });
    await waitFor(() => one.stats.held + two.stats.held === 1, { what: 'one instance to hold the bot' });
    const calls = [];
    for (let i = 0; i < 5; i += 1) calls.push(await w.post(i % 2 ? w.ana : w.bob, `@pip number ${i}`));
    await waitFor(async () => (await w.botMessages()).length === 5, { what: 'five replies', timeoutMs: 15_000 });
    for (const call of calls) expect(await w.repliesTo(call.id)).toHaveLength(1);
    // The holder stops cleanly: the other takes the bot at its next look and answers from there.
    const [holder, other] = one.stats.held === 1 ? [one, two] : [two, one];
    await holder.stop();
    await waitFor(() => other.stats.held === 1, { what: 'the other instance to take the bot' });
    const later = await w.post(w.ana, '@pip still there?');
    await waitFor(async () => nonEmpty(await w.repliesTo(later.id)), { what: 'the reply from the other instance' });
    expect(await w.botMessages()).toHaveLength(6);
    expect(w.model.requests).toHaveLength(6);
  });
});

async function readCheckpointOf(w: BotWorld): Promise<number> {
  const [row] = await w.t.db.query<{ position: number | string }>('SELECT position FROM bot_checkpoints WHERE bot_id = ?', [w.bot.id]);
  return Number(row?.position ?? 0);
}

function nonEmpty<T>(list: T[]): T[] | false {
  return list.length > 0 && list;
}
