-- Search (issue 14).
--
-- message_search: a read model (src/search/searchProjection.ts), rebuilt at will from the log: the
-- text of every message that stands, in an FTS5 index. rowid is the message's position. unicode61
-- with remove_diacritics 2: words are runs of letters and digits, matched without case or accents.
-- Its checkpoint starts at 0: at the next start, catch-up indexes every message already in the log.
CREATE VIRTUAL TABLE message_search USING fts5(
  body,
  message_id UNINDEXED,
  thread_id UNINDEXED,
  author_id UNINDEXED,
  tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO projection_checkpoints (name, position) VALUES ('message_search', 0);
