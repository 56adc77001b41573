-- Sessions end after a time unused (idle) as well as a time in all: when each was last used
-- (written at most about once a minute), and indexes for the purge of expired ones.
ALTER TABLE sessions ADD COLUMN last_used_at INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET last_used_at = created_at;
CREATE INDEX sessions_last_used ON sessions (last_used_at);
CREATE INDEX sessions_expires ON sessions (expires_at);
