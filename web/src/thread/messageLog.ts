/**
 * A thread's confirmed messages as pure state: kept in log order, each
 * message at most once however often it arrives (page, live feed, replay
 * after a reconnect, or the answer to our own post), and revised in place by
 * later events (reactions, edits, deletion) without ever going back in time.
 */
import { comparePositions, type Position } from '../api/position.ts';
import type { Message, ReactionGroup } from '../api/operations.ts';

export interface MessageLog {
  readonly messages: readonly Message[];
  readonly ids: ReadonlySet<string>;
  /** The log position of the newest revision applied to each message since it was loaded. */
  readonly revisedAt: ReadonlyMap<string, Position>;
}

export const emptyMessageLog: MessageLog = { messages: [], ids: new Set(), revisedAt: new Map() };

export function addMessages(log: MessageLog, incoming: readonly Message[]): MessageLog {
  const fresh = incoming.filter((m, i) => !log.ids.has(m.id) && incoming.findIndex((o) => o.id === m.id) === i);
  if (fresh.length === 0) return log;
  const ids = new Set(log.ids);
  for (const m of fresh) ids.add(m.id);
  const last = log.messages.at(-1);
  const appendsInOrder = fresh.every((m, i) => {
    const before = i === 0 ? last : fresh[i - 1];
    return !before || comparePositions(before.position, m.position) < 0;
  });
  const messages = appendsInOrder
    ? [...log.messages, ...fresh]
    : [...log.messages, ...fresh].sort((a, b) => comparePositions(a.position, b.position));
  return { messages, ids, revisedAt: log.revisedAt };
}

/**
 * Replaces a message by its newer state, as of log position `at` (null: a
 * state with no position of its own, such as an answer that changed nothing).
 * A revision at or before one already applied is dropped, so a mutation's
 * answer that arrives after a later live event cannot undo it; so is anything
 * that would bring a deleted message back or an edit older than the one shown
 * (the loaded page and the replay after it may overlap). Replies quoting the
 * message follow its text and its deletion.
 */
export function reviseMessage(log: MessageLog, revised: Message, at: Position | null): MessageLog {
  const index = log.messages.findIndex((m) => m.id === revised.id);
  const current = log.messages[index];
  const applies = current !== undefined && isNewer(current, revised, at ?? undefined, log.revisedAt.get(revised.id));
  // A message older than the loaded page is not here, but replies quoting it may be.
  const followQuotes = applies || current === undefined;
  const quoteFollows = (m: Message) =>
    followQuotes &&
    m.replyTo?.id === revised.id &&
    m.replyTo.deletedAt === null &&
    (m.replyTo.body !== revised.body || revised.deletedAt !== null);
  if (!applies && !log.messages.some(quoteFollows)) return log;
  const messages = log.messages.map((m, i) => {
    if (i === index) return applies ? revised : m;
    if (!quoteFollows(m) || !m.replyTo) return m;
    return { ...m, replyTo: { ...m.replyTo, body: revised.body, deletedAt: revised.deletedAt } };
  });
  const revisedAt = applies && at !== null ? new Map(log.revisedAt).set(revised.id, at) : log.revisedAt;
  return { messages, ids: log.ids, revisedAt };
}

function isNewer(current: Message, revised: Message, at: Position | undefined, last: Position | undefined): boolean {
  if (at !== undefined && last !== undefined && comparePositions(at, last) <= 0) return false;
  if (current.deletedAt !== null && revised.deletedAt === null) return false;
  if (current.editedAt !== null && (revised.editedAt === null || Date.parse(revised.editedAt) < Date.parse(current.editedAt))) return false;
  return true;
}

/** The tombstone a deletion leaves when the event brings no message of its own. */
export function tombstone(message: Message, deletedAt: string): Message {
  return { ...message, body: '', deletedAt, reactions: [] };
}

/** A change of one person's reaction, as a ReactionAdded/ReactionRemoved event tells it. */
export interface ReactionChange {
  readonly emoji: string;
  readonly userId: string;
  readonly added: boolean;
}

/**
 * The groups an event brings, with `reactedByMe` as it is for this viewer:
 * set by the change itself when it is the viewer's, otherwise kept from what
 * the viewer already knew of that emoji (someone else's reaction never makes
 * a group "mine"), and for an emoji new to this client, whether the viewer is
 * among the users the event lists.
 */
export function reactionsForViewer(
  incoming: readonly ReactionGroup[],
  known: readonly ReactionGroup[] | undefined,
  change: ReactionChange | null,
  meId: string,
): readonly ReactionGroup[] {
  return incoming.map((group) => {
    const reactedByMe =
      change !== null && change.userId === meId && change.emoji === group.emoji
        ? change.added
        : (known?.find((k) => k.emoji === group.emoji)?.reactedByMe ?? group.users.some((u) => u.id === meId));
    return reactedByMe === group.reactedByMe ? group : { ...group, reactedByMe };
  });
}
