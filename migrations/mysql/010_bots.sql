-- Bots (issue 15): character-card companions that answer in threads.
--
-- users.is_bot: 1 for a user a BotAdded registered (it has no credentials: nobody signs in as it).
-- Set once at registration, like the rest of who a user is.
ALTER TABLE users ADD COLUMN is_bot TINYINT(1) NOT NULL DEFAULT 0;

-- bots: a read model (src/projections/botsProjection.ts), rebuilt at will from the log: one row per
-- bot ever added, with its card (the validated Character Card V2, as JSON). removed_at is set by
-- BotRemoved and cleared when the bot is added again. position: its BotAdded's (it answers nothing
-- before it).
CREATE TABLE bots (
  id CHAR(36) CHARACTER SET ascii NOT NULL PRIMARY KEY,
  username VARCHAR(32) CHARACTER SET ascii NOT NULL,
  display_name VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL,
  card MEDIUMTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL CHECK (json_valid(card)),
  added_at BIGINT NOT NULL,
  position BIGINT UNSIGNED NOT NULL,
  removed_at BIGINT NULL,
  UNIQUE KEY bots_username (username)
) ENGINE=InnoDB;
-- No bot events exist before this change: the new projections stand where the log does.
INSERT INTO projection_checkpoints (name, position) SELECT 'bots', position FROM log_head WHERE id = 1;

-- thread_bots: a read model (src/projections/threadBotsProjection.ts): which bots are invited to
-- which thread (BotInvited adds a row, BotUninvited removes it).
CREATE TABLE thread_bots (
  thread_id CHAR(36) CHARACTER SET ascii NOT NULL,
  bot_id CHAR(36) CHARACTER SET ascii NOT NULL,
  invited_at BIGINT NOT NULL,
  position BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (thread_id, bot_id),
  -- A bot's threads (the reactor, and a removed bot's invitations).
  KEY thread_bots_bot (bot_id)
) ENGINE=InnoDB;
INSERT INTO projection_checkpoints (name, position) SELECT 'thread_bots', position FROM log_head WHERE id = 1;

-- bot_checkpoints: NOT a read model and not in the log. How far each bot's reactor has read the log
-- (the position of the last event it is done with); `thrds rebuild` leaves it alone.
CREATE TABLE bot_checkpoints (
  bot_id CHAR(36) CHARACTER SET ascii NOT NULL PRIMARY KEY,
  position BIGINT UNSIGNED NOT NULL,
  updated_at BIGINT NOT NULL
) ENGINE=InnoDB;

-- bot_leases: NOT a read model. Which server process answers for a bot, until expires_at (epoch ms):
-- one holder at a time; an expired lease may be taken over.
CREATE TABLE bot_leases (
  bot_id CHAR(36) CHARACTER SET ascii NOT NULL PRIMARY KEY,
  holder VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  expires_at BIGINT NOT NULL
) ENGINE=InnoDB;
