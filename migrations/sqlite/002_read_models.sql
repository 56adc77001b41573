-- Read models, rebuilt at will from the log. Each projection's checkpoint
-- is written in the same transaction as its rows.
CREATE TABLE projection_checkpoints (
  name TEXT NOT NULL PRIMARY KEY,
  position INTEGER NOT NULL
);
INSERT INTO projection_checkpoints (name, position) VALUES ('users', 0), ('threads', 0), ('messages', 0);

CREATE TABLE users (
  id TEXT NOT NULL PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  registered_at INTEGER NOT NULL,
  position INTEGER NOT NULL
);

CREATE TABLE threads (
  id TEXT NOT NULL PRIMARY KEY,
  title TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  message_count INTEGER NOT NULL,
  last_activity_at INTEGER NOT NULL,
  position INTEGER NOT NULL
);
CREATE INDEX threads_position ON threads (position);

CREATE TABLE messages (
  id TEXT NOT NULL PRIMARY KEY,
  thread_id TEXT NOT NULL,
  author_id TEXT NOT NULL,
  body TEXT NOT NULL,
  posted_at INTEGER NOT NULL,
  position INTEGER NOT NULL UNIQUE,
  reply_to_id TEXT,
  format TEXT NOT NULL
);
CREATE INDEX messages_thread_position ON messages (thread_id, position);
