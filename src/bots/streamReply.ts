/**
 * One reply from the model, as a bot writes it: each attempt streams under
 * its own deadline (THRDS_LLM_TIMEOUT_MS), the text so far goes out as
 * drafts (at most every DRAFT_EVERY_MS, the whole text each time), and the
 * bot shows as typing while it writes. A retryable failure (down, timed
 * out, garbage, an empty reply) is tried again after a pause that doubles;
 * a refusal (a 4xx) is not. The deadline and a stop are enforced here, not
 * left to the engine: a stream that ignores its signal is abandoned.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { TypingService } from '../presence/presenceTypes.ts';
import type { BotSettings } from './botSettings.ts';
import { type BotDrafts, type ChatEngine, type ChatTurn, EngineError } from './types.ts';

/** Drafts go out at most this often while the model writes. */
export const DRAFT_EVERY_MS = 150;
/** Typing is renewed this often (it expires after 6 s: presence/typingService.ts). */
const TYPING_EVERY_MS = 3_000;

export interface StreamReplyRequest {
  readonly engine: ChatEngine;
  readonly messages: readonly ChatTurn[];
  readonly settings: Pick<BotSettings, 'timeoutMs' | 'attempts' | 'retryBaseMs' | 'maxReplyChars'>;
  readonly drafts: BotDrafts;
  readonly typing: Pick<TypingService, 'set'>;
  readonly botId: string;
  readonly threadId: string;
  readonly replyToId: string;
  /** The reactor stopping (or losing the bot): the stream ends at once, and nothing counts as given up. */
  readonly signal: AbortSignal;
  readonly clock?: () => number;
}

export type StreamOutcome =
  | { readonly kind: 'written'; readonly text: string; readonly attempts: number; readonly modelMs: number; readonly firstTokenMs: number | undefined }
  | { readonly kind: 'failed'; readonly reason: string; readonly attempts: number }
  | { readonly kind: 'stopped' };

/**
 * Streams the reply; typing stays on when it was written (the post ends
 * it) and is turned off otherwise. The final draft (ended) is the caller's
 * to send, once it knows whether the reply was posted.
 */
export async function streamReply(request: StreamReplyRequest): Promise<StreamOutcome> {
  const { settings, signal } = request;
  const clock = request.clock ?? Date.now;
  const typing = () => request.typing.set(request.threadId, request.botId, true);
  typing();
  const typingTimer = setInterval(typing, TYPING_EVERY_MS);
  typingTimer.unref();
  let outcome: StreamOutcome = { kind: 'stopped' };
  const began = clock();
  try {
    for (let attempt = 1; ; attempt += 1) {
      const tried = await oneAttempt(request, clock);
      if (signal.aborted) return (outcome = { kind: 'stopped' });
      if (tried.kind === 'written') return (outcome = { ...tried, attempts: attempt, modelMs: clock() - began });
      if (!tried.retryable || attempt >= settings.attempts) return (outcome = { kind: 'failed', reason: tried.reason, attempts: attempt });
      try {
        await sleep(settings.retryBaseMs * 2 ** (attempt - 1), undefined, { signal });
      } catch {
        // Aborted: the reactor is stopping.
        return (outcome = { kind: 'stopped' });
      }
    }
  } finally {
    clearInterval(typingTimer);
    if (outcome.kind !== 'written') request.typing.set(request.threadId, request.botId, false);
  }
}

type Attempt = { kind: 'written'; text: string; firstTokenMs: number | undefined } | { kind: 'failed'; reason: string; retryable: boolean };

async function oneAttempt(request: StreamReplyRequest, clock: () => number): Promise<Attempt> {
  const { settings, signal } = request;
  const deadline = AbortSignal.timeout(settings.timeoutMs);
  const attemptSignal = AbortSignal.any([signal, deadline]);
  const started = clock();
  let text = '';
  let firstTokenMs: number | undefined;
  let lastDraftAt = 0;
  let draftTimer: NodeJS.Timeout | undefined;
  const publish = () => {
    draftTimer = undefined;
    lastDraftAt = clock();
    request.drafts.publish({ kind: 'BotDraft', threadId: request.threadId, botId: request.botId, replyToId: request.replyToId, text: text.trimStart(), ended: false });
  };
  try {
    for await (const piece of until(request.engine.stream({ messages: request.messages, maxTokens: maxTokensFor(settings.maxReplyChars), signal: attemptSignal }), attemptSignal)) {
      if (piece === '') continue;
      firstTokenMs ??= clock() - started;
      text += piece;
      // A model that runs on far past the longest reply is cut off: the rest would be thrown away.
      if (text.length > settings.maxReplyChars * 2) break;
      if (draftTimer !== undefined || text.trim() === '') continue;
      const wait = lastDraftAt + DRAFT_EVERY_MS - clock();
      if (wait <= 0) publish();
      else draftTimer = setTimeout(publish, wait);
    }
  } catch (error) {
    if (signal.aborted) return { kind: 'failed', reason: 'stopped', retryable: false };
    if (deadline.aborted) return { kind: 'failed', reason: `the model did not finish within ${settings.timeoutMs} ms`, retryable: true };
    if (error instanceof EngineError) return { kind: 'failed', reason: error.message, retryable: error.retryable };
    // Not the engine's typed failure (a bug in it, or a network error it let through): worth another try.
    return { kind: 'failed', reason: error instanceof Error ? error.message : String(error), retryable: true };
  } finally {
    clearTimeout(draftTimer);
  }
  if (text.trim() === '') return { kind: 'failed', reason: 'the model answered nothing', retryable: true };
  return { kind: 'written', text, firstTokenMs };
}

/** The most tokens a reply may take: a token is about four characters, with room to finish the last sentence. */
export function maxTokensFor(maxReplyChars: number): number {
  return Math.max(16, Math.ceil(maxReplyChars / 3));
}

/**
 * The pieces of `source` until `signal` aborts: then the iteration fails at
 * once with the abort reason, even if the source is stuck awaiting a byte,
 * and the source is told to stop (return()).
 */
async function* until<T>(source: AsyncIterable<T>, signal: AbortSignal): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason ?? new Error('aborted'));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  // Observed here so an abort after the loop has ended is no unhandled rejection.
  aborted.catch(() => undefined);
  let finished = false;
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), aborted]);
      if (next.done) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
    // Stopped early (abort, a break, an error): the source may hold a socket open.
    if (!finished) void Promise.resolve(iterator.return?.()).catch(() => undefined);
  }
}
