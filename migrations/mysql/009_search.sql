-- Search (issue 14).
--
-- message_search: a read model (src/search/searchProjection.ts), rebuilt at will from the log: the
-- text of every message that stands, with an InnoDB FULLTEXT index (BOOLEAN MODE queries). `rowid`
-- is the message's position, named as SQLite's FTS5 names its key so the projection's SQL is one.
-- The collation matches words without case or accents. InnoDB indexes no word shorter than
-- innodb_ft_min_token_size (3) and no stopword: src/search/mysqlSearch.ts matches those by pattern.
-- Its checkpoint starts at 0: at the next start, catch-up indexes every message already in the log.
CREATE TABLE message_search (
  rowid BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  message_id CHAR(36) CHARACTER SET ascii NOT NULL,
  thread_id CHAR(36) CHARACTER SET ascii NOT NULL,
  author_id CHAR(36) CHARACTER SET ascii NOT NULL,
  body TEXT NOT NULL,
  KEY message_search_thread (thread_id, rowid),
  KEY message_search_author (author_id, rowid),
  FULLTEXT KEY message_search_body (body)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO projection_checkpoints (name, position) VALUES ('message_search', 0);
