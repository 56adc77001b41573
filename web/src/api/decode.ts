/**
 * The boundary between GraphQL results and the app's own types. The server's
 * schema declares most fields nullable (the contract does not), so each
 * record is checked here once; one missing a field the UI needs is dropped
 * and reported, never rendered half-empty.
 */
import type { ResultOf } from '../graphql.ts';
import type { MessageFields, PresenceFields, ThreadSummaryFields, ThreadUnreadFields, UserFields } from './fragments.ts';
import type { ThreadUnread } from '../unread/unreadState.ts';
import type { Position } from './position.ts';
import { decodeAttachments, type Attachment } from '../attachments/attachment.ts';

export interface User {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  /** An AI character (issue 15), shown with a "bot" badge; decodeUser always sets it. */
  readonly isBot?: boolean;
  /** Their uploaded picture (a path on this server), or null: initials are drawn instead. decodeUser always sets it. */
  readonly avatarUrl?: string | null;
}

export interface ThreadSummary {
  readonly id: string;
  readonly title: string;
  readonly messageCount: number;
  readonly lastActivityAt: string;
  readonly position: Position;
}

export type Role = 'MEMBER' | 'MODERATOR' | 'ADMIN';

/** The signed-in person: a user with the role that decides what they may moderate. */
export interface Viewer extends User {
  readonly role: Role;
}

export interface QuotedMessage {
  readonly id: string;
  /** Empty once the message is deleted. */
  readonly body: string;
  readonly deletedAt: string | null;
  readonly author: User | null;
}

/** Someone who reacted, as much as a reaction's title needs. */
export interface Reactor {
  readonly id: string;
  readonly displayName: string;
}

export interface ReactionGroup {
  readonly emoji: string;
  readonly count: number;
  readonly reactedByMe: boolean;
  /** The first few who reacted (`count` may be more). */
  readonly users: readonly Reactor[];
}

export interface Message {
  readonly id: string;
  /** Empty once the message is deleted. */
  readonly body: string;
  readonly postedAt: string;
  readonly position: Position;
  readonly author: User;
  readonly replyTo: QuotedMessage | null;
  readonly editedAt: string | null;
  /** Set once deleted: the message is a tombstone (no text, no reactions) that replies still point at. */
  readonly deletedAt: string | null;
  /** In order of first use. */
  readonly reactions: readonly ReactionGroup[];
  /** Usernames (lower case) of the people the text mentions, as the server derived them (decodeMessage always sets it). */
  readonly mentions?: readonly string[];
  /** How `body` is to be shown: MARKDOWN, or PLAIN as typed (decodeMessage always sets it). */
  readonly format?: 'MARKDOWN' | 'PLAIN';
  /** Its files, in posting order; empty once deleted (decodeMessage always sets it). */
  readonly attachments?: readonly Attachment[];
}

/** Who is online, in all or in one thread. */
export interface Presence {
  readonly people: number;
  readonly connections: number;
  /** The first few of the people. */
  readonly users: readonly User[];
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
  return { id, username, displayName: displayName ?? username, isBot: raw.isBot ?? false, avatarUrl: avatarPath(raw.avatarUrl) };
}

/** Only a path on this server is shown: the server gives `/files/<id>/avatar`; anything else is not loaded. */
export function avatarPath(value: unknown): string | null {
  return typeof value === 'string' && value.startsWith('/files/') ? value : null;
}

export function decodeViewer(raw: Maybe<ResultOf<typeof UserFields> & { readonly role?: Maybe<Role> }>): Viewer | null {
  const user = decodeUser(raw);
  return user ? { ...user, role: raw?.role ?? 'MEMBER' } : null;
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
    quoted?.id != null && quoted.body != null
      ? { id: quoted.id, body: quoted.body, deletedAt: quoted.deletedAt ?? null, author: decodeUser(quoted.author) }
      : null;
  const reactions = (raw.reactions ?? []).flatMap((group) => {
    if (group?.emoji == null || group.count == null) return [];
    const users = (group.users ?? []).flatMap((u) => (u?.id != null && u.displayName != null ? [{ id: u.id, displayName: u.displayName }] : []));
    return [{ emoji: group.emoji, count: group.count, reactedByMe: group.reactedByMe ?? false, users }];
  });
  const mentions = (raw.mentions ?? []).flatMap((u) => (u?.username != null ? [u.username.toLowerCase()] : []));
  const format = raw.format === 'MARKDOWN' ? 'MARKDOWN' : 'PLAIN';
  const attachments = decodeAttachments(raw.attachments);
  return { id, body, postedAt, position, author, replyTo, editedAt: raw.editedAt ?? null, deletedAt: raw.deletedAt ?? null, reactions, mentions, format, attachments };
}

export function decodePresence(raw: Maybe<ResultOf<typeof PresenceFields>>): Presence | null {
  if (!raw) return null;
  if (raw.people == null || raw.connections == null) return dropped('presence', raw);
  return { people: raw.people, connections: raw.connections, users: (raw.users ?? []).flatMap((u) => decodeUser(u) ?? []) };
}

/** A thread's unread counts for the viewer, with the id they belong to. */
export function decodeThreadUnread(raw: Maybe<ResultOf<typeof ThreadUnreadFields>>): { readonly id: string; readonly unread: ThreadUnread } | null {
  if (!raw) return null;
  const { id, position, unreadCount, unreadMentionCount, lastReadPosition } = raw;
  if (id == null || position == null || unreadCount == null) return dropped('thread unread state', raw);
  return { id, unread: { position, unreadCount, unreadMentionCount: unreadMentionCount ?? 0, lastReadPosition: lastReadPosition ?? null } };
}

/** Decodes every node of a connection's edges, skipping the unusable ones. */
export function decodeNodes<Raw, T>(edges: Maybe<readonly Maybe<{ readonly node?: Maybe<Raw> }>[]>, decode: (raw: Maybe<Raw>) => T | null): T[] {
  return (edges ?? []).flatMap((edge) => {
    const value = decode(edge?.node);
    return value ? [value] : [];
  });
}
