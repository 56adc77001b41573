-- Credentials and sessions are mutable secrets: they never enter the log.
CREATE TABLE credentials (
  user_id CHAR(36) CHARACTER SET ascii NOT NULL PRIMARY KEY,
  username VARCHAR(32) CHARACTER SET ascii NOT NULL,
  password_hash VARCHAR(255) CHARACTER SET ascii NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE KEY credentials_username (username)
) ENGINE=InnoDB;

CREATE TABLE sessions (
  token_hash CHAR(64) CHARACTER SET ascii NOT NULL PRIMARY KEY,
  user_id CHAR(36) CHARACTER SET ascii NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  KEY sessions_user (user_id)
) ENGINE=InnoDB;
