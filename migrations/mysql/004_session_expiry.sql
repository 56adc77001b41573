-- Sessions end after a time unused (idle) as well as a time in all: when each was last used
-- (written at most about once a minute), and indexes for the purge of expired ones.
ALTER TABLE sessions
  ADD COLUMN last_used_at BIGINT NOT NULL DEFAULT 0,
  ADD KEY sessions_last_used (last_used_at),
  ADD KEY sessions_expires (expires_at);
UPDATE sessions SET last_used_at = created_at;
