/**
 * A thread's confirmed messages as pure state: kept in log order, each
 * message at most once however often it arrives (page, live feed, replay
 * after a reconnect, or the answer to our own post).
 */
import { comparePositions } from '../api/position.ts';
import type { Message } from '../api/operations.ts';

export interface MessageLog {
  readonly messages: readonly Message[];
  readonly ids: ReadonlySet<string>;
}

export const emptyMessageLog: MessageLog = { messages: [], ids: new Set() };

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
  return { messages, ids };
}
