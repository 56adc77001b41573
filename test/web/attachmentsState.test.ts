/**
 * The web client's pure rules for attachments: the composer's tray (upload
 * progress, alt text that is uploaded again when changed, failures per file,
 * the 10-file limit, when the message may be sent), the words for upload
 * failures, and how files are shown in messages.
 */
import { describe, expect, it } from 'vitest';
import {
  addFiles,
  altEdited,
  emptyTray,
  failed,
  maxAttachments,
  needsReupload,
  progressed,
  readyIds,
  removed,
  trayHint,
  uploaded,
  uploadStarted,
  type NewFile,
} from '../../web/src/attachments/trayState.ts';
import { uploadErrorText } from '../../web/src/attachments/uploadErrors.ts';
import { decodeAttachments, fitInside, formatBytes, imageLabel, isInlineImage, type Attachment } from '../../web/src/attachments/attachment.ts';

const file = (key: string, type = 'image/png'): NewFile => ({ key, name: `${key}.png`, byteSize: 1234, type });
const attachment = (id: string, changes: Partial<Attachment> = {}): Attachment => ({
  id,
  contentType: 'image/png',
  byteSize: 1234,
  name: `${id}.png`,
  alt: null,
  width: 640,
  height: 480,
  url: `/files/${id}`,
  thumbnailUrl: `/files/${id}/thumbnail`,
  ...changes,
});

describe('the composer tray', () => {
  it('given two files added, when one finishes, then the message waits for the other, and then carries both in order', () => {
    let tray = addFiles(emptyTray, [file('a'), file('b', 'application/pdf')]);
    expect(tray.items.map((i) => [i.key, i.status, i.image])).toEqual([
      ['a', 'uploading', true],
      ['b', 'uploading', false],
    ]);
    tray = uploaded(tray, 'b', attachment('B'), '');
    expect(readyIds(tray)).toBeNull();
    expect(trayHint(tray)).toMatch(/Uploading/);
    tray = progressed(tray, 'a', 0.5);
    expect(tray.items[0]?.progress).toBe(0.5);
    tray = uploaded(tray, 'a', attachment('A'), '');
    expect(readyIds(tray)).toEqual(['A', 'B']);
    expect(trayHint(tray)).toBeNull();
  });

  it('progress never goes back, and stops counting once uploaded', () => {
    let tray = progressed(addFiles(emptyTray, [file('a')]), 'a', 0.7);
    tray = progressed(tray, 'a', 0.4);
    expect(tray.items[0]?.progress).toBe(0.7);
    tray = uploaded(tray, 'a', attachment('A'), '');
    expect(progressed(tray, 'a', 0.1).items[0]?.progress).toBe(1);
  });

  it('given a failed upload, then the message cannot be sent until it is removed, and the others still go', () => {
    let tray = addFiles(emptyTray, [file('a'), file('b')]);
    tray = uploaded(tray, 'a', attachment('A'), '');
    tray = failed(tray, 'b', 'Too large', '');
    expect(tray.items[1]).toMatchObject({ status: 'failed', error: 'Too large' });
    expect(readyIds(tray)).toBeNull();
    expect(trayHint(tray)).toMatch(/could not be uploaded/);
    expect(readyIds(removed(tray, 'b'))).toEqual(['A']);
  });

  it('given alt text typed after the upload, then it is uploaded again with it, and an answer for the old upload is ignored', () => {
    let tray = uploaded(addFiles(emptyTray, [file('a')]), 'a', attachment('A1'), '');
    tray = altEdited(tray, 'a', '  A red kite  ');
    expect(needsReupload(tray.items[0]!)).toBe(true);
    expect(readyIds(tray)).toBeNull();
    tray = uploadStarted(tray, 'a', 'A red kite');
    expect(needsReupload(tray.items[0]!)).toBe(false);
    // The first upload's answer arrives late: not this item's state any more.
    expect(uploaded(tray, 'a', attachment('A0'), '')).toBe(tray);
    expect(failed(tray, 'a', 'x', '')).toBe(tray);
    tray = uploaded(tray, 'a', attachment('A2', { alt: 'A red kite' }), 'A red kite');
    expect(readyIds(tray)).toEqual(['A2']);
  });

  it('never asks a non-image for alt text', () => {
    const tray = altEdited(addFiles(emptyTray, [file('a', 'text/plain')]), 'a', 'words');
    expect(needsReupload(tray.items[0]!)).toBe(false);
  });

  it(`takes at most ${maxAttachments} files and says how many were left out`, () => {
    const many = Array.from({ length: maxAttachments + 2 }, (_, i) => file(`f${i}`));
    const tray = addFiles(emptyTray, many);
    expect(tray.items).toHaveLength(maxAttachments);
    expect(tray.note).toMatch(/at most 10 files: 2 files were not added/);
    expect(addFiles(tray, [file('x')]).note).toMatch(/1 file was not added/);
    expect(removed(tray, 'f0').note).toBeNull();
  });

  it('an empty tray is ready with no ids (a text-only message)', () => {
    expect(readyIds(emptyTray)).toEqual([]);
  });
});

describe('upload failures in plain words', () => {
  const failure = (code: string, extensions: Record<string, unknown> = {}, status = 200, message: string | null = null) => ({ code, message, status, extensions });

  it('names the size limit, the quota, a refused file and a lost connection', () => {
    expect(uploadErrorText(failure('PAYLOAD_TOO_LARGE', { maxBytes: 10 * 1024 * 1024 }, 413))).toBe('Too large: files can be at most 10 MB.');
    expect(uploadErrorText(failure('RATE_LIMITED'))).toMatch(/Upload limit reached/);
    expect(uploadErrorText(failure('BAD_USER_INPUT', {}, 200, 'The file is named or typed as an image, but its bytes are not'))).toMatch(/^Not allowed: The file is named/);
    expect(uploadErrorText(failure('NETWORK', {}, 0))).toMatch(/Could not reach the server/);
    expect(uploadErrorText(failure('HTTP', {}, 413))).toBe('Too large for this server.');
    expect(uploadErrorText(failure('UNKNOWN', {}, 500))).toBe('The upload failed on the server.');
  });
});

describe('files in messages', () => {
  it('shows decoded images inline and everything else as a download', () => {
    expect(isInlineImage(attachment('a'))).toBe(true);
    expect(isInlineImage(attachment('a', { contentType: 'application/pdf', width: null, height: null }))).toBe(false);
    // An image type without a size is not something the server decoded: offered as a download.
    expect(isInlineImage(attachment('a', { width: null }))).toBe(false);
  });

  it('fits a thumbnail inside its box keeping the aspect ratio, never upscaling', () => {
    expect(fitInside(640, 480, 320, 240)).toEqual({ width: 320, height: 240 });
    expect(fitInside(1000, 100, 320, 240)).toEqual({ width: 320, height: 32 });
    expect(fitInside(100, 2000, 320, 240)).toEqual({ width: 12, height: 240 });
    expect(fitInside(50, 40, 320, 240)).toEqual({ width: 50, height: 40 });
  });

  it('says sizes as file managers do', () => {
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(999)).toBe('999 bytes');
    expect(formatBytes(4_200)).toBe('4.2 KB');
    expect(formatBytes(10_485_760)).toBe('10 MB');
    expect(formatBytes(3_100_000_000)).toBe('3.1 GB');
  });

  it('labels an image by its alt text, else its name', () => {
    expect(imageLabel({ alt: 'A red kite', name: 'kite.png' })).toBe('A red kite');
    expect(imageLabel({ alt: '  ', name: 'kite.png' })).toBe('Image: kite.png');
    expect(imageLabel({ alt: null, name: null })).toBe('Image');
  });

  it('drops an attachment with missing fields rather than show it half-empty', () => {
    const warn = console.warn;
    console.warn = () => undefined;
    try {
      expect(decodeAttachments([{ id: 'a', contentType: 'image/png', byteSize: 1, url: '/files/a' }, { id: 'b' }, null]).map((a) => a.id)).toEqual(['a']);
    } finally {
      console.warn = warn;
    }
  });
});
