-- Attachments (issue 14): images and files posted with messages.
--
-- attachments: a read model (src/projections/attachmentsProjection.ts), rebuilt at will from the log:
-- one row per attachment of a standing message, from MessagePosted.data.attachments; MessageDeleted
-- removes the message's. The bytes are in the file store (content-addressed by sha256), never here.
CREATE TABLE attachments (
  id CHAR(36) CHARACTER SET ascii NOT NULL PRIMARY KEY,
  message_id CHAR(36) CHARACTER SET ascii NOT NULL,
  ordinal SMALLINT UNSIGNED NOT NULL,
  position BIGINT UNSIGNED NOT NULL,
  sha256 CHAR(64) CHARACTER SET ascii NOT NULL,
  content_type VARCHAR(255) CHARACTER SET ascii NOT NULL,
  byte_size BIGINT UNSIGNED NOT NULL,
  name VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
  alt VARCHAR(1000) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
  width INT UNSIGNED NULL,
  height INT UNSIGNED NULL,
  thumb_sha256 CHAR(64) CHARACTER SET ascii NULL,
  thumb_content_type VARCHAR(255) CHARACTER SET ascii NULL,
  thumb_byte_size BIGINT UNSIGNED NULL,
  thumb_width INT UNSIGNED NULL,
  thumb_height INT UNSIGNED NULL,
  -- Message.attachments: a page of messages' attachments in posting order.
  KEY attachments_message (message_id, ordinal),
  -- Erasure and the sweep: is anyone still using these bytes?
  KEY attachments_sha256 (sha256),
  KEY attachments_thumb_sha256 (thumb_sha256)
) ENGINE=InnoDB;
INSERT INTO projection_checkpoints (name, position) VALUES ('attachments', 0);

-- uploads: NOT a read model and not in the log. A user's uploaded file waiting to be posted
-- (claim_token NULL), or claimed by a post (the token of that post: a retry claims it again).
-- `metadata` is the AttachmentData as JSON. Unposted rows go after a day (the sweep); a deleted
-- message's rows go with it (their names are erased with the message's text).
CREATE TABLE uploads (
  id CHAR(36) CHARACTER SET ascii NOT NULL PRIMARY KEY,
  owner_id CHAR(36) CHARACTER SET ascii NOT NULL,
  created_at BIGINT NOT NULL,
  claim_token VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
  sha256 CHAR(64) CHARACTER SET ascii NOT NULL,
  thumb_sha256 CHAR(64) CHARACTER SET ascii NULL,
  metadata JSON NOT NULL,
  KEY uploads_created_at (created_at),
  KEY uploads_sha256 (sha256),
  KEY uploads_thumb_sha256 (thumb_sha256)
) ENGINE=InnoDB;
