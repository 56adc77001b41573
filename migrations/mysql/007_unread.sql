-- Mentions and read markers (issue 13).
--
-- message_mentions: a read model (src/projections/mentionsProjection.ts), rebuilt at will from the log.
-- Its checkpoint starts at 0: at the next start, catch-up derives the mentions of every message
-- already in the log (ProjectionEngine.catchUp feeds only the projections that are behind).
CREATE TABLE message_mentions (
  message_id CHAR(36) CHARACTER SET ascii NOT NULL,
  user_id CHAR(36) CHARACTER SET ascii NOT NULL,
  thread_id CHAR(36) CHARACTER SET ascii NOT NULL,
  position BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (message_id, user_id),
  -- Query.mentions: a user's mentions, newest first.
  KEY message_mentions_user_position (user_id, position),
  -- Thread.unreadMentionCount: a user's mentions in one thread after their marker.
  KEY message_mentions_user_thread_position (user_id, thread_id, position)
) ENGINE=InnoDB;
INSERT INTO projection_checkpoints (name, position) VALUES ('message_mentions', 0);

-- read_markers: NOT a read model and not in the log. Each user's private "read up to" per thread,
-- only ever moved forward; `thrds rebuild` leaves it alone (log positions never change, so a
-- marker stays valid), and a backup carries it with every other table.
CREATE TABLE read_markers (
  user_id CHAR(36) CHARACTER SET ascii NOT NULL,
  thread_id CHAR(36) CHARACTER SET ascii NOT NULL,
  position BIGINT UNSIGNED NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, thread_id)
) ENGINE=InnoDB;
