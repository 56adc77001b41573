-- Read models, rebuilt at will from the log. Each projection's checkpoint
-- is written in the same transaction as its rows.
CREATE TABLE projection_checkpoints (
  name VARCHAR(64) CHARACTER SET ascii NOT NULL PRIMARY KEY,
  position BIGINT UNSIGNED NOT NULL
) ENGINE=InnoDB;

INSERT INTO projection_checkpoints (name, position) VALUES ('users', 0), ('threads', 0), ('messages', 0);

CREATE TABLE users (
  id CHAR(36) CHARACTER SET ascii NOT NULL PRIMARY KEY,
  username VARCHAR(32) CHARACTER SET ascii NOT NULL,
  display_name VARCHAR(255) NOT NULL,
  registered_at BIGINT NOT NULL,
  position BIGINT UNSIGNED NOT NULL,
  UNIQUE KEY users_username (username)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE threads (
  id CHAR(36) CHARACTER SET ascii NOT NULL PRIMARY KEY,
  title VARCHAR(255) NOT NULL,
  created_by CHAR(36) CHARACTER SET ascii NOT NULL,
  created_at BIGINT NOT NULL,
  message_count INT UNSIGNED NOT NULL,
  last_activity_at BIGINT NOT NULL,
  position BIGINT UNSIGNED NOT NULL,
  KEY threads_position (position)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE messages (
  id CHAR(36) CHARACTER SET ascii NOT NULL PRIMARY KEY,
  thread_id CHAR(36) CHARACTER SET ascii NOT NULL,
  author_id CHAR(36) CHARACTER SET ascii NOT NULL,
  body TEXT NOT NULL,
  posted_at BIGINT NOT NULL,
  position BIGINT UNSIGNED NOT NULL,
  reply_to_id CHAR(36) CHARACTER SET ascii NULL,
  format VARCHAR(16) CHARACTER SET ascii NOT NULL,
  UNIQUE KEY messages_position (position),
  KEY messages_thread_position (thread_id, position)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
