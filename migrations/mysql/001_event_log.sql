-- The append-only event log. Positions come from log_head, a counter row
-- locked by each append transaction, so they are gap-free and in commit order.
CREATE TABLE events (
  position BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  event_id CHAR(36) CHARACTER SET ascii NOT NULL,
  stream_id VARCHAR(128) CHARACTER SET ascii NOT NULL,
  stream_version INT UNSIGNED NOT NULL,
  type VARCHAR(64) CHARACTER SET ascii NOT NULL,
  schema_version SMALLINT UNSIGNED NOT NULL,
  data LONGTEXT NOT NULL CHECK (JSON_VALID(data)),
  metadata TEXT NOT NULL CHECK (JSON_VALID(metadata)),
  recorded_at BIGINT NOT NULL,
  hash CHAR(64) CHARACTER SET ascii NOT NULL,
  UNIQUE KEY events_event_id (event_id),
  UNIQUE KEY events_stream_version (stream_id, stream_version),
  KEY events_type_position (type, position)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE log_head (
  id TINYINT UNSIGNED NOT NULL PRIMARY KEY,
  position BIGINT UNSIGNED NOT NULL,
  hash CHAR(64) CHARACTER SET ascii NOT NULL
) ENGINE=InnoDB;

INSERT INTO log_head (id, position, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE idempotency_keys (
  idem_key VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
  request_hash CHAR(64) CHARACTER SET ascii NOT NULL,
  first_position BIGINT UNSIGNED NOT NULL,
  last_position BIGINT UNSIGNED NOT NULL
) ENGINE=InnoDB;

CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'events are append-only';

CREATE TRIGGER events_are_append_only_delete BEFORE DELETE ON events FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'events are append-only';
