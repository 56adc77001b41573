-- Uploaded avatars (issue 16 item 8).
--
-- users.avatar_*: the user's current avatar, from their latest UserAvatarChanged (NULL: none, the
-- web app draws initials). avatar_id names the change (a fresh UUID each time, so the URL
-- /files/<avatar_id>/avatar changes with the picture); avatar_sha256 is the stored image (an upload's
-- WebP thumbnail). The attachments code counts avatar_sha256 as a file in use: neither the sweep of
-- unposted uploads nor the erasure of a deleted message removes those bytes.
-- No avatar events exist before this change: the users projection stands where it did.
ALTER TABLE users
  ADD COLUMN avatar_id CHAR(36) CHARACTER SET ascii NULL,
  ADD COLUMN avatar_sha256 CHAR(64) CHARACTER SET ascii NULL,
  ADD COLUMN avatar_content_type VARCHAR(255) CHARACTER SET ascii NULL,
  ADD COLUMN avatar_byte_size BIGINT NULL,
  ADD KEY users_avatar_id (avatar_id),
  ADD KEY users_avatar_sha256 (avatar_sha256);
