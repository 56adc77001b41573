/**
 * The files waiting in the composer, as pure state: each one uploads as soon
 * as it is added (with its progress), may be given alt text (images) and
 * removed, and fails on its own with a reason in plain words. The message can
 * be sent once every file left in the tray is uploaded with the alt text it
 * shows; the server takes at most `maxAttachments` per message.
 */
import type { Attachment } from './attachment.ts';

export const maxAttachments = 10;

export type TrayStatus = 'uploading' | 'uploaded' | 'failed';

export interface TrayItem {
  /** This client's own key for the file (the server's id comes with the upload). */
  readonly key: string;
  readonly name: string;
  readonly byteSize: number;
  /** The browser thinks it is an image: it gets an alt text field (the server decides for real). */
  readonly image: boolean;
  readonly status: TrayStatus;
  /** 0–1 while uploading. */
  readonly progress: number;
  readonly error: string | null;
  /** Set once uploaded. */
  readonly attachment: Attachment | null;
  /** The alt text as typed. */
  readonly alt: string;
  /** The alt text the upload in flight (or done) carries: when `alt` differs, it is uploaded again. */
  readonly sentAlt: string;
}

export interface Tray {
  readonly items: readonly TrayItem[];
  /** Why files were not added (over the count), shown until the tray changes again. */
  readonly note: string | null;
}

export const emptyTray: Tray = { items: [], note: null };

export interface NewFile {
  readonly key: string;
  readonly name: string;
  readonly byteSize: number;
  readonly type: string;
}

/** Adds files (up to the limit); the ones over it are left out with a note. */
export function addFiles(tray: Tray, files: readonly NewFile[]): Tray {
  const room = Math.max(0, maxAttachments - tray.items.length);
  const taken = files.slice(0, room).map(
    (f): TrayItem => ({
      key: f.key,
      name: f.name || 'file',
      byteSize: f.byteSize,
      image: f.type.startsWith('image/'),
      status: 'uploading',
      progress: 0,
      error: null,
      attachment: null,
      alt: '',
      sentAlt: '',
    }),
  );
  const left = files.length - taken.length;
  const note = left > 0 ? `A message can carry at most ${maxAttachments} files: ${left === 1 ? '1 file was' : `${left} files were`} not added.` : null;
  return { items: [...tray.items, ...taken], note };
}

/** The tray with one item changed; the same tray when nothing changed (so React skips the render). */
function update(tray: Tray, key: string, change: (item: TrayItem) => TrayItem): Tray {
  const index = tray.items.findIndex((i) => i.key === key);
  const item = tray.items[index];
  if (!item) return tray;
  const next = change(item);
  return next === item ? tray : { ...tray, items: tray.items.with(index, next) };
}

export function progressed(tray: Tray, key: string, fraction: number): Tray {
  return update(tray, key, (i) => (i.status === 'uploading' ? { ...i, progress: Math.min(1, Math.max(i.progress, fraction)) } : i));
}

export function uploaded(tray: Tray, key: string, attachment: Attachment, alt: string): Tray {
  // An answer for an older upload (the alt text changed meanwhile) is not this item's state any more.
  return update(tray, key, (i) => (i.sentAlt === alt ? { ...i, status: 'uploaded', progress: 1, error: null, attachment } : i));
}

export function failed(tray: Tray, key: string, error: string, alt: string): Tray {
  return update(tray, key, (i) => (i.sentAlt === alt ? { ...i, status: 'failed', error, attachment: null } : i));
}

export function removed(tray: Tray, key: string): Tray {
  return { items: tray.items.filter((i) => i.key !== key), note: null };
}

export function altEdited(tray: Tray, key: string, alt: string): Tray {
  return update(tray, key, (i) => ({ ...i, alt }));
}

/** The items whose alt text changed since their upload started: each is uploaded again with it. */
export function needsReupload(item: TrayItem): boolean {
  return item.image && item.status !== 'failed' && item.alt.trim() !== item.sentAlt;
}

/** An upload (again) of `key` starts, with this alt text. */
export function uploadStarted(tray: Tray, key: string, alt: string): Tray {
  return update(tray, key, (i) => ({ ...i, status: 'uploading', progress: 0, error: null, attachment: null, sentAlt: alt }));
}

/**
 * The ids to post with the message, in tray order: null while any file is
 * still uploading, failed (remove it or try it again), or has alt text that is
 * not uploaded yet.
 */
export function readyIds(tray: Tray): readonly string[] | null {
  const ids: string[] = [];
  for (const item of tray.items) {
    if (item.status !== 'uploaded' || !item.attachment || needsReupload(item)) return null;
    ids.push(item.attachment.id);
  }
  return ids;
}

/** What the composer says about the tray, in one line: null when there is nothing to say. */
export function trayHint(tray: Tray): string | null {
  if (tray.items.some((i) => i.status === 'failed')) return 'Remove the files that could not be uploaded (or try them again) to send.';
  if (tray.items.some((i) => i.status === 'uploading')) return 'Uploading… the message can be sent when the files are up.';
  return null;
}
