/**
 * The files about to be sent, under the composer's text: a preview or the
 * file's name, its upload progress, alt text for images, and a way to remove
 * it; a failure says why in plain words, with "Try again".
 */
import { useId, useRef } from 'react';
import { formatBytes } from './attachment.ts';
import type { AttachmentTray as Tray } from './useAttachmentTray.ts';
import type { TrayItem } from './trayState.ts';
import { FileIcon, ImageIcon, PaperclipIcon } from './icons.tsx';

export function AttachmentTray({ tray, disabled }: { tray: Tray; disabled: boolean }) {
  if (tray.items.length === 0 && !tray.note) return null;
  return (
    <div className="attachment-tray">
      {tray.items.length > 0 && (
        <ul aria-label="Files to send">
          {tray.items.map((item) => (
            <TrayEntry key={item.key} item={item} preview={tray.previews.get(item.key) ?? null} tray={tray} disabled={disabled} />
          ))}
        </ul>
      )}
      {tray.note && (
        <p className="attachment-note error" role="alert">
          {tray.note}
        </p>
      )}
      {tray.hint && <p className="attachment-note">{tray.hint}</p>}
    </div>
  );
}

function TrayEntry({ item, preview, tray, disabled }: { item: TrayItem; preview: string | null; tray: Tray; disabled: boolean }) {
  const altId = useId();
  const percent = Math.round(item.progress * 100);
  return (
    <li className={`tray-item ${item.status}`} data-status={item.status}>
      <div className="tray-thumb" aria-hidden="true">
        {preview ? <img src={preview} alt="" /> : <span className="tray-file-icon">{item.image ? <ImageIcon /> : <FileIcon />}</span>}
      </div>
      <div className="tray-body">
        <div className="tray-name" title={item.name}>
          {item.name} <span className="tray-size">{formatBytes(item.byteSize)}</span>
        </div>
        {item.status === 'uploading' && (
          <progress className="tray-progress" max={100} value={percent} aria-label={`Uploading ${item.name}`}>
            {percent}%
          </progress>
        )}
        {item.status === 'failed' && (
          <p className="tray-error" role="alert">
            {item.error}{' '}
            <button type="button" className="link-button" onClick={() => tray.retry(item.key)} disabled={disabled}>
              Try again
            </button>
          </p>
        )}
        {item.image && item.status !== 'failed' && (
          <>
            <label htmlFor={altId} className="visually-hidden">
              Alt text for {item.name}
            </label>
            <input
              id={altId}
              className="tray-alt"
              value={item.alt}
              maxLength={1000}
              placeholder="Describe the image (alt text)"
              disabled={disabled}
              onChange={(e) => tray.setAlt(item.key, e.target.value)}
              onBlur={() => tray.commitAlt(item.key)}
              onKeyDown={(e) => {
                // Enter keeps the text (and uploads it) instead of sending the message from this field.
                if (e.key === 'Enter') {
                  e.preventDefault();
                  tray.commitAlt(item.key);
                }
              }}
            />
          </>
        )}
      </div>
      <button type="button" className="tray-remove link-button" onClick={() => tray.remove(item.key)} aria-label={`Remove ${item.name}`}>
        ✕
      </button>
    </li>
  );
}

/** The paper-clip button: picks files with the system dialog. */
export function AttachButton({ onFiles, disabled }: { onFiles: (files: File[]) => void; disabled: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" className="button quiet attach-button" onClick={() => input.current?.click()} disabled={disabled} aria-label="Attach files" title="Attach files (or paste, or drop them here)">
        <PaperclipIcon />
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        tabIndex={-1}
        aria-hidden="true"
        onChange={(e) => {
          onFiles([...(e.target.files ?? [])]);
          // The same file can be picked again after removing it.
          e.target.value = '';
        }}
      />
    </>
  );
}

/** The files a paste carries (images copied from a page or a screenshot tool). */
export function pastedFiles(data: DataTransfer | null): File[] {
  if (!data) return [];
  return [...data.items].flatMap((item) => {
    const file = item.kind === 'file' ? item.getAsFile() : null;
    return file ? [file] : [];
  });
}
