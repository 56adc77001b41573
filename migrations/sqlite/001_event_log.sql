-- The append-only event log. Positions come from log_head, updated inside
-- each (serialized) write transaction, so they are gap-free and in commit order.
CREATE TABLE events (
  position INTEGER NOT NULL PRIMARY KEY,
  event_id TEXT NOT NULL UNIQUE,
  stream_id TEXT NOT NULL,
  stream_version INTEGER NOT NULL,
  type TEXT NOT NULL,
  schema_version INTEGER NOT NULL,
  data TEXT NOT NULL CHECK (json_valid(data)),
  metadata TEXT NOT NULL CHECK (json_valid(metadata)),
  recorded_at INTEGER NOT NULL,
  hash TEXT NOT NULL,
  UNIQUE (stream_id, stream_version)
);
CREATE INDEX events_type_position ON events (type, position);

CREATE TABLE log_head (
  id INTEGER NOT NULL PRIMARY KEY,
  position INTEGER NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO log_head (id, position, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE idempotency_keys (
  idem_key TEXT NOT NULL PRIMARY KEY,
  request_hash TEXT NOT NULL,
  first_position INTEGER NOT NULL,
  last_position INTEGER NOT NULL
);

CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

CREATE TRIGGER events_are_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
