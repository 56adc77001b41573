-- Conversations (issue 12): erasable content in the log, reactions, edits, deletions and moderation.
--
-- events.content: the erasable fields of an event (a message's text) with the salt of their digest,
-- as canonical JSON; the hashed `data` holds only the digest (data.erasable). Set to NULL, and only
-- that, when a later event erases it. events.erasure_key: what the content belongs to
-- (`message:<id>`), copied from data.erasable.key (or, for messages posted before this change, from
-- data.messageId) so an erasure finds every version by index; it is not hashed, the data is.
ALTER TABLE events ADD COLUMN content TEXT CHECK (content IS NULL OR json_valid(content));
ALTER TABLE events ADD COLUMN erasure_key TEXT;
UPDATE events SET erasure_key = 'message:' || json_extract(data, '$.messageId') WHERE type = 'MessagePosted';
CREATE INDEX events_erasure_key ON events (erasure_key) WHERE erasure_key IS NOT NULL;

-- The one change an event row may take: its content, erased.
DROP TRIGGER events_are_append_only_update;
CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events
WHEN NOT (
  NEW.content IS NULL
  AND NEW.position IS OLD.position AND NEW.event_id IS OLD.event_id AND NEW.stream_id IS OLD.stream_id
  AND NEW.stream_version IS OLD.stream_version AND NEW.type IS OLD.type AND NEW.schema_version IS OLD.schema_version
  AND NEW.data IS OLD.data AND NEW.metadata IS OLD.metadata AND NEW.recorded_at IS OLD.recorded_at
  AND NEW.hash IS OLD.hash AND NEW.erasure_key IS OLD.erasure_key
)
BEGIN SELECT RAISE(ABORT, 'events are append-only: only erasable content may be erased'); END;

-- Keys erased, and the position of the event that erased each: content under an erased key is
-- never written again (an edit racing the deletion is refused).
CREATE TABLE erasures (
  erasure_key TEXT NOT NULL PRIMARY KEY,
  position INTEGER NOT NULL
);

ALTER TABLE messages ADD COLUMN edited_at INTEGER;
ALTER TABLE messages ADD COLUMN deleted_at INTEGER;

ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'MEMBER';
ALTER TABLE users ADD COLUMN suspended_until INTEGER;

ALTER TABLE threads ADD COLUMN locked INTEGER NOT NULL DEFAULT 0;

CREATE TABLE reactions (
  message_id TEXT NOT NULL,
  emoji TEXT NOT NULL,
  user_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (message_id, emoji, user_id)
);
CREATE INDEX reactions_message_position ON reactions (message_id, position);
-- No reaction events exist before this change: the new projection stands where the log does.
INSERT INTO projection_checkpoints (name, position) SELECT 'reactions', position FROM log_head WHERE id = 1;

-- A deletion forgets the request hashes of the appends whose text it erased (they hash the text
-- unsalted): found by the position their key's first event was written at.
CREATE INDEX idempotency_keys_first_position ON idempotency_keys (first_position);
