-- Attachments (issue 14): images and files posted with messages.
--
-- attachments: a read model (src/projections/attachmentsProjection.ts), rebuilt at will from the log:
-- one row per attachment of a standing message, from MessagePosted.data.attachments; MessageDeleted
-- removes the message's. The bytes are in the file store (content-addressed by sha256), never here.
CREATE TABLE attachments (
  id TEXT NOT NULL PRIMARY KEY,
  message_id TEXT NOT NULL,
  ordinal INTEGER NOT NULL,
  position INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  content_type TEXT NOT NULL,
  byte_size INTEGER NOT NULL,
  name TEXT,
  alt TEXT,
  width INTEGER,
  height INTEGER,
  thumb_sha256 TEXT,
  thumb_content_type TEXT,
  thumb_byte_size INTEGER,
  thumb_width INTEGER,
  thumb_height INTEGER
);
-- Message.attachments: a page of messages' attachments in posting order.
CREATE INDEX attachments_message ON attachments (message_id, ordinal);
-- Erasure and the sweep: is anyone still using these bytes?
CREATE INDEX attachments_sha256 ON attachments (sha256);
CREATE INDEX attachments_thumb_sha256 ON attachments (thumb_sha256);
INSERT INTO projection_checkpoints (name, position) VALUES ('attachments', 0);

-- uploads: NOT a read model and not in the log. A user's uploaded file waiting to be posted
-- (claim_token NULL), or claimed by a post (the token of that post: a retry claims it again).
-- `metadata` is the AttachmentData as JSON. Unposted rows go after a day (the sweep); a deleted
-- message's rows go with it (their names are erased with the message's text).
CREATE TABLE uploads (
  id TEXT NOT NULL PRIMARY KEY,
  owner_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  claim_token TEXT,
  sha256 TEXT NOT NULL,
  thumb_sha256 TEXT,
  metadata TEXT NOT NULL CHECK (json_valid(metadata))
);
CREATE INDEX uploads_created_at ON uploads (created_at);
CREATE INDEX uploads_sha256 ON uploads (sha256);
CREATE INDEX uploads_thumb_sha256 ON uploads (thumb_sha256);
