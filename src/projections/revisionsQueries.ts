/**
 * A message's earlier texts, read from the log itself (no read-model table
 * keeps them): its MessagePosted and each MessageEdited share the erasure
 * key `message:<id>` (events.erasure_key, indexed), so one indexed read finds
 * every version of many messages. The newest version is the current text;
 * the revisions are the ones before it. A deletion erases them all, so a
 * deleted message has none.
 */
import type { Sql } from '../db/database.ts';
import { inList } from '../db/sqlFragments.ts';
import { EVENT_COLUMNS, type EventRow, readableEventFromRow } from '../events/eventRows.ts';
import type { StoredEvent } from '../events/types.ts';
import { messageContentKey } from '../modules/eventModule.ts';
import { isKnown, upcast } from '../modules/index.ts';
import type { MessageRevision } from './messagesProjection.ts';

/**
 * At most this many revisions per message, the most recent ones: a message
 * edited a thousand times costs no more to read, and the field's complexity
 * (this many texts of up to 4,000 characters) still lets a page of a few
 * dozen messages ask for them.
 */
export const MAX_REVISIONS = 20;

/** The types whose events hold a version of a message's text. */
const VERSION_TYPES = ['MessagePosted', 'MessageEdited'] as const;

/**
 * Pure: each message's revisions (oldest first, the last `max` of them) from
 * its versions among `events` (in position order): every version but the
 * newest. A message with an erased version was deleted: it has none.
 */
export function revisionsFromEvents(events: readonly StoredEvent[], max = MAX_REVISIONS): Map<string, MessageRevision[]> {
  const versions = new Map<string, MessageRevision[]>();
  const erased = new Set<string>();
  for (const event of events) {
    if (!isKnown(event) || (event.type !== 'MessagePosted' && event.type !== 'MessageEdited')) continue;
    const { messageId, body } = event.data;
    if (event.erased) erased.add(messageId);
    let list = versions.get(messageId);
    if (!list) versions.set(messageId, (list = []));
    list.push({ body, editedAt: event.recordedAt });
  }
  const revisions = new Map<string, MessageRevision[]>();
  for (const [messageId, list] of versions) {
    revisions.set(messageId, erased.has(messageId) ? [] : list.slice(Math.max(0, list.length - 1 - max), -1));
  }
  return revisions;
}

/**
 * The revisions of each of `messageIds` as the log holds them now (empty for
 * a message never edited, or unknown). One statement: the newest `max` + 1
 * versions of each message, by the erasure-key index.
 */
export async function revisionsByMessageIds(db: Sql, messageIds: readonly string[], max = MAX_REVISIONS): Promise<Map<string, MessageRevision[]>> {
  const found = new Map<string, MessageRevision[]>(messageIds.map((id) => [id, []]));
  if (messageIds.length === 0) return found;
  const keys = messageIds.map(messageContentKey);
  const rows = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM (
       SELECT ${EVENT_COLUMNS}, ROW_NUMBER() OVER (PARTITION BY erasure_key ORDER BY position DESC) AS newest
       FROM events WHERE erasure_key IN (${inList(keys)}) AND type IN (${inList(VERSION_TYPES)})
     ) AS versions WHERE newest <= ? ORDER BY position`,
    [...keys, ...VERSION_TYPES, max + 1],
  );
  for (const [messageId, revisions] of revisionsFromEvents(rows.map((row) => upcast(readableEventFromRow(row))), max)) found.set(messageId, revisions);
  return found;
}
