/**
 * The composer's files: added by picking, pasting or dropping, uploaded at
 * once with progress, uploaded again when an image's alt text is changed,
 * aborted when removed or when the thread is left.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { loadToken } from '../auth/storedToken.ts';
import { imagePreview } from './imagePreview.ts';
import { uploadErrorText } from './uploadErrors.ts';
import { uploadFile, type Upload } from './uploadFile.ts';
import {
  addFiles,
  altEdited,
  emptyTray,
  failed,
  needsReupload,
  progressed,
  readyIds,
  removed,
  trayHint,
  uploaded,
  uploadStarted,
  type Tray,
  type TrayItem,
} from './trayState.ts';

export interface AttachmentTray {
  readonly items: readonly TrayItem[];
  readonly note: string | null;
  readonly hint: string | null;
  /** Local previews of images, by item key. */
  readonly previews: ReadonlyMap<string, string>;
  add(files: readonly File[]): void;
  remove(key: string): void;
  retry(key: string): void;
  setAlt(key: string, alt: string): void;
  /** The alt text field is done (blur, Enter): uploads the image again if its alt text changed. */
  commitAlt(key: string): void;
  /** The ids to post (in order), or null while the tray is not ready. */
  readonly ready: readonly string[] | null;
  clear(): void;
}

export function useAttachmentTray(): AttachmentTray {
  const [tray, setTray] = useState<Tray>(emptyTray);
  const [previews, setPreviews] = useState<ReadonlyMap<string, string>>(new Map());
  const files = useRef(new Map<string, File>());
  const uploads = useRef(new Map<string, Upload>());
  const trayRef = useRef(tray);
  trayRef.current = tray;
  const nextKey = useRef(0);

  const start = useCallback((key: string, alt: string) => {
    const file = files.current.get(key);
    if (!file) return;
    uploads.current.get(key)?.abort();
    setTray((t) => uploadStarted(t, key, alt));
    const upload = uploadFile({
      file,
      name: file.name || 'file',
      alt: alt === '' ? null : alt,
      token: loadToken(),
      onProgress: (fraction) => setTray((t) => progressed(t, key, fraction)),
    });
    uploads.current.set(key, upload);
    void upload.result.then((result) => {
      if (uploads.current.get(key) === upload) uploads.current.delete(key);
      if (result.ok) setTray((t) => uploaded(t, key, result.attachment, alt));
      else if (result.failure.code !== 'ABORTED') setTray((t) => failed(t, key, uploadErrorText(result.failure), alt));
    });
  }, []);

  const add = useCallback(
    (picked: readonly File[]) => {
      if (picked.length === 0) return;
      const keyed = picked.map((file) => ({ key: `f${++nextKey.current}`, file }));
      const entries = keyed.map(({ key, file }) => ({ key, name: file.name, byteSize: file.size, type: file.type }));
      // Which files fit is decided on the tray as last seen (with what earlier adds put in it)...
      const next = addFiles(trayRef.current, entries);
      trayRef.current = next;
      // ...but the change is applied to the tray as it is by then: an upload's answer may be waiting to be
      // rendered, and a tray set whole from the snapshot would drop it (that item stuck "uploading" for ever).
      setTray((t) => addFiles(t, entries));
      for (const { key, file } of keyed) {
        if (!next.items.some((i) => i.key === key)) continue;
        files.current.set(key, file);
        start(key, '');
        if (file.type.startsWith('image/')) {
          void imagePreview(file).then((url) => {
            if (url && files.current.has(key)) setPreviews((p) => new Map(p).set(key, url));
          });
        }
      }
    },
    [start],
  );

  const forget = useCallback((key: string) => {
    uploads.current.get(key)?.abort();
    uploads.current.delete(key);
    files.current.delete(key);
    setPreviews((p) => {
      if (!p.has(key)) return p;
      const next = new Map(p);
      next.delete(key);
      return next;
    });
  }, []);

  const remove = useCallback(
    (key: string) => {
      forget(key);
      setTray((t) => removed(t, key));
    },
    [forget],
  );

  const retry = useCallback((key: string) => start(key, trayRef.current.items.find((i) => i.key === key)?.alt.trim() ?? ''), [start]);

  const setAlt = useCallback((key: string, alt: string) => setTray((t) => altEdited(t, key, alt)), []);

  const commitAlt = useCallback(
    (key: string) => {
      const item = trayRef.current.items.find((i) => i.key === key);
      if (item && needsReupload(item)) start(key, item.alt.trim());
    },
    [start],
  );

  const clear = useCallback(() => {
    // Posted: the uploads belong to the message now; only this client's copies go.
    uploads.current.clear();
    files.current.clear();
    setPreviews(new Map());
    setTray(emptyTray);
  }, []);

  useEffect(
    () => () => {
      for (const upload of uploads.current.values()) upload.abort();
    },
    [],
  );

  return {
    items: tray.items,
    note: tray.note,
    hint: trayHint(tray),
    previews,
    add,
    remove,
    retry,
    setAlt,
    commitAlt,
    ready: readyIds(tray),
    clear,
  };
}
