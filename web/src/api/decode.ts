/**
 * The boundary between GraphQL results and the app's own types. The server's
 * schema declares most fields nullable (the contract does not), so each
 * record is checked here once; one missing a field the UI needs is dropped
 * and reported, never rendered half-empty.
 */
import type { ResultOf } from '../graphql.ts';
import type { MessageFields, ThreadSummaryFields, UserFields } from './fragments.ts';
import type { Position } from './position.ts';

export interface User {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
}

export interface ThreadSummary {
  readonly id: string;
  readonly title: string;
  readonly messageCount: number;
  readonly lastActivityAt: string;
  readonly position: Position;
}

export interface QuotedMessage {
  readonly id: string;
  readonly body: string;
  readonly author: User | null;
}

export interface Message {
  readonly id: string;
  readonly body: string;
  readonly postedAt: string;
  readonly position: Position;
  readonly author: User;
  readonly replyTo: QuotedMessage | null;
}

type Maybe<T> = T | null | undefined;

function dropped(kind: string, raw: unknown): null {
  console.warn(`Thrds: ignoring a ${kind} with missing fields`, raw);
  return null;
}

export function decodeUser(raw: Maybe<ResultOf<typeof UserFields>>): User | null {
  if (!raw) return null;
  const { id, username, displayName } = raw;
  if (id == null || username == null) return dropped('user', raw);
  return { id, username, displayName: displayName ?? username };
}

export function decodeThread(raw: Maybe<ResultOf<typeof ThreadSummaryFields>>): ThreadSummary | null {
  if (!raw) return null;
  const { id, title, messageCount, lastActivityAt, createdAt, position } = raw;
  if (id == null || title == null || position == null) return dropped('thread', raw);
  return { id, title, messageCount: messageCount ?? 0, lastActivityAt: lastActivityAt ?? createdAt ?? '', position };
}

export function decodeMessage(raw: Maybe<ResultOf<typeof MessageFields>>): Message | null {
  if (!raw) return null;
  const { id, body, postedAt, position } = raw;
  const author = decodeUser(raw.author);
  if (id == null || body == null || postedAt == null || position == null || !author) return dropped('message', raw);
  const quoted = raw.replyTo;
  const replyTo =
    quoted?.id != null && quoted.body != null ? { id: quoted.id, body: quoted.body, author: decodeUser(quoted.author) } : null;
  return { id, body, postedAt, position, author, replyTo };
}

/** Decodes every node of a connection's edges, skipping the unusable ones. */
export function decodeNodes<Raw, T>(edges: Maybe<readonly Maybe<{ readonly node?: Maybe<Raw> }>[]>, decode: (raw: Maybe<Raw>) => T | null): T[] {
  return (edges ?? []).flatMap((edge) => {
    const value = decode(edge?.node);
    return value ? [value] : [];
  });
}
