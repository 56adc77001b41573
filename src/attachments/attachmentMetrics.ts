/** Attachments on /metrics: uploads by outcome and in progress, bytes stored, files removed (erasure and sweep), avatar changes by outcome. */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { AttachmentStats } from './attachments.ts';

export function registerAttachmentMetrics(registry: Registry, stats: AttachmentStats): void {
  const registers = [registry];
  new Counter({
    name: 'thrds_uploads_total',
    help: 'uploadAttachment requests by outcome: stored, too_large, rate_limited, refused (bad input, an image that does not decode, an outage), failed (a bug or the file store), busy (THRDS_MAX_CONCURRENT_UPLOADS bodies already being taken)',
    labelNames: ['outcome'] as const,
    registers,
    collect() {
      this.reset();
      for (const [outcome, count] of Object.entries(stats.uploads)) this.inc({ outcome }, count);
    },
  });
  new Gauge({
    name: 'thrds_uploads_in_progress',
    help: 'Upload bodies being received now; at THRDS_MAX_CONCURRENT_UPLOADS the next upload is refused (busy)',
    registers,
    collect() {
      this.set(stats.uploadsInProgress);
    },
  });
  new Counter({
    name: 'thrds_upload_bytes_total',
    help: 'Bytes stored by uploads (cleaned images with their thumbnails, other files as sent)',
    registers,
    collect() {
      this.reset();
      this.inc(stats.uploadBytes);
    },
  });
  new Counter({
    name: 'thrds_files_removed_total',
    help: "Files removed from the file store: a deleted message's, an unposted upload's after a day, or ones nobody refers to",
    registers,
    collect() {
      this.reset();
      this.inc(stats.filesRemoved);
    },
  });
  new Counter({
    name: 'thrds_avatar_changes_total',
    help: 'setAvatar and clearAvatar by outcome: set, cleared, unchanged (nothing to clear), rate_limited, refused (bad input, not an image, suspended), failed (a bug)',
    labelNames: ['outcome'] as const,
    registers,
    collect() {
      this.reset();
      for (const [outcome, count] of Object.entries(stats.avatarChanges)) this.inc({ outcome }, count);
    },
  });
}
