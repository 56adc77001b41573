-- Conversations (issue 12): erasable content in the log, reactions, edits, deletions and moderation.
--
-- events.content: the erasable fields of an event (a message's text) with the salt of their digest,
-- as canonical JSON; the hashed `data` holds only the digest (data.erasable). Set to NULL, and only
-- that, when a later event erases it. events.erasure_key: what the content belongs to
-- (`message:<id>`), copied from data.erasable.key (or, for messages posted before this change, from
-- data.messageId) so an erasure finds every version by index; it is not hashed, the data is.
ALTER TABLE events
  ADD COLUMN content LONGTEXT NULL CHECK (content IS NULL OR JSON_VALID(content)),
  ADD COLUMN erasure_key VARCHAR(128) CHARACTER SET ascii NULL,
  ADD KEY events_erasure_key (erasure_key);

DROP TRIGGER events_are_append_only_update;
UPDATE events SET erasure_key = CONCAT('message:', JSON_VALUE(data, '$.messageId')) WHERE type = 'MessagePosted';

-- The one change an event row may take: its content, erased.
CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events FOR EACH ROW
  IF NOT (
    NEW.content IS NULL
    AND NEW.position <=> OLD.position AND NEW.event_id <=> OLD.event_id AND NEW.stream_id <=> OLD.stream_id
    AND NEW.stream_version <=> OLD.stream_version AND NEW.type <=> OLD.type AND NEW.schema_version <=> OLD.schema_version
    AND NEW.data <=> OLD.data AND NEW.metadata <=> OLD.metadata AND NEW.recorded_at <=> OLD.recorded_at
    AND NEW.hash <=> OLD.hash AND NEW.erasure_key <=> OLD.erasure_key
  ) THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'events are append-only: only erasable content may be erased';
  END IF;

-- Keys erased, and the position of the event that erased each: content under an erased key is
-- never written again (an edit racing the deletion is refused).
CREATE TABLE erasures (
  erasure_key VARCHAR(128) CHARACTER SET ascii NOT NULL PRIMARY KEY,
  position BIGINT UNSIGNED NOT NULL
) ENGINE=InnoDB;

ALTER TABLE messages
  ADD COLUMN edited_at BIGINT NULL,
  ADD COLUMN deleted_at BIGINT NULL;

ALTER TABLE users
  ADD COLUMN role VARCHAR(16) CHARACTER SET ascii NOT NULL DEFAULT 'MEMBER',
  ADD COLUMN suspended_until BIGINT NULL;

ALTER TABLE threads ADD COLUMN locked TINYINT(1) NOT NULL DEFAULT 0;

CREATE TABLE reactions (
  message_id CHAR(36) CHARACTER SET ascii NOT NULL,
  emoji VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  user_id CHAR(36) CHARACTER SET ascii NOT NULL,
  position BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (message_id, emoji, user_id),
  KEY reactions_message_position (message_id, position)
) ENGINE=InnoDB;

-- No reaction events exist before this change: the new projection stands where the log does.
INSERT INTO projection_checkpoints (name, position) SELECT 'reactions', position FROM log_head WHERE id = 1;

-- A deletion forgets the request hashes of the appends whose text it erased (they hash the text
-- unsalted): found by the position their key's first event was written at.
ALTER TABLE idempotency_keys ADD KEY idempotency_keys_first_position (first_position);
