-- Bots (issue 15): character-card companions that answer in threads.
--
-- users.is_bot: 1 for a user a BotAdded registered (it has no credentials: nobody signs in as it).
-- Set once at registration, like the rest of who a user is.
ALTER TABLE users ADD COLUMN is_bot INTEGER NOT NULL DEFAULT 0;

-- bots: a read model (src/projections/botsProjection.ts), rebuilt at will from the log: one row per
-- bot ever added, with its card (the validated Character Card V2, as JSON). removed_at is set by
-- BotRemoved and cleared when the bot is added again. position: its BotAdded's (it answers nothing
-- before it).
CREATE TABLE bots (
  id TEXT NOT NULL PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  card TEXT NOT NULL CHECK (json_valid(card)),
  added_at INTEGER NOT NULL,
  position INTEGER NOT NULL,
  removed_at INTEGER
);
-- No bot events exist before this change: the new projections stand where the log does.
INSERT INTO projection_checkpoints (name, position) SELECT 'bots', position FROM log_head WHERE id = 1;

-- thread_bots: a read model (src/projections/threadBotsProjection.ts): which bots are invited to
-- which thread (BotInvited adds a row, BotUninvited removes it).
CREATE TABLE thread_bots (
  thread_id TEXT NOT NULL,
  bot_id TEXT NOT NULL,
  invited_at INTEGER NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (thread_id, bot_id)
);
-- A bot's threads (the reactor, and a removed bot's invitations).
CREATE INDEX thread_bots_bot ON thread_bots (bot_id);
INSERT INTO projection_checkpoints (name, position) SELECT 'thread_bots', position FROM log_head WHERE id = 1;

-- bot_checkpoints: NOT a read model and not in the log. How far each bot's reactor has read the log
-- (the position of the last event it is done with); `thrds rebuild` leaves it alone.
CREATE TABLE bot_checkpoints (
  bot_id TEXT NOT NULL PRIMARY KEY,
  position INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

-- bot_leases: NOT a read model. Which server process answers for a bot, until expires_at (epoch ms):
-- one holder at a time; an expired lease may be taken over.
CREATE TABLE bot_leases (
  bot_id TEXT NOT NULL PRIMARY KEY,
  holder TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
