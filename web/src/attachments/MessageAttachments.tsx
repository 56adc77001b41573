/**
 * A message's files: images inline as thumbnails (sized before they load, so
 * nothing jumps), each opening full size in a dialog that Escape closes;
 * anything else as a download chip with its name and size.
 */
import { useRef, useState } from 'react';
import { FileIcon } from './icons.tsx';
import { fitInside, formatBytes, imageLabel, isInlineImage, type Attachment } from './attachment.ts';

const thumbMax = { width: 320, height: 240 };

export function MessageAttachments({ attachments }: { attachments: readonly Attachment[] }) {
  const [open, setOpen] = useState<Attachment | null>(null);
  if (attachments.length === 0) return null;
  const images = attachments.filter(isInlineImage);
  const files = attachments.filter((a) => !isInlineImage(a));
  return (
    <div className="message-attachments">
      {images.length > 0 && (
        <ul className="attachment-images" aria-label="Images">
          {images.map((a) => {
            const box = fitInside(a.width ?? 1, a.height ?? 1, thumbMax.width, thumbMax.height);
            const label = imageLabel(a);
            return (
              <li key={a.id}>
                <button type="button" className="attachment-image" onClick={() => setOpen(a)} aria-label={`Open full size: ${label}`}>
                  <img src={a.thumbnailUrl ?? a.url} alt={label} width={box.width} height={box.height} loading="lazy" decoding="async" />
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {files.length > 0 && (
        <ul className="attachment-files" aria-label="Files">
          {files.map((a) => (
            <li key={a.id}>
              <a className="attachment-file" href={a.url} download={a.name ?? ''} rel="noopener">
                <FileIcon />
                <span className="attachment-file-name">{a.name ?? 'file'}</span>
                <span className="attachment-file-size">{formatBytes(a.byteSize)}</span>
              </a>
            </li>
          ))}
        </ul>
      )}
      {open && <Lightbox image={open} onClose={() => setOpen(null)} />}
    </div>
  );
}

/** The full-size image in a modal dialog: Escape, the close button or a click outside the image closes it. */
function Lightbox({ image, onClose }: { image: Attachment; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const label = imageLabel(image);
  return (
    <dialog
      ref={(el) => {
        dialog.current = el;
        if (el && !el.open) el.showModal();
      }}
      className="lightbox"
      aria-label={label}
      onClose={onClose}
      onClick={(e) => {
        if (e.target === dialog.current) dialog.current?.close();
      }}
    >
      <img src={image.url} alt={label} width={image.width ?? undefined} height={image.height ?? undefined} />
      <div className="lightbox-bar">
        {image.alt && <p className="lightbox-alt">{image.alt}</p>}
        <a href={image.url} target="_blank" rel="noopener noreferrer">
          Open in a new tab
        </a>
        <button type="button" className="button small" onClick={() => dialog.current?.close()} autoFocus>
          Close
        </button>
      </div>
    </dialog>
  );
}
