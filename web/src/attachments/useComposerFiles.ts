/**
 * Files into the composer by pasting (images from the clipboard) or dropping
 * them on it: the handlers to spread on its form, and whether files are being
 * dragged over it (for the drop highlight).
 */
import { useState, type ClipboardEvent, type DragEvent } from 'react';
import type { AttachmentTray } from './useAttachmentTray.ts';
import { pastedFiles } from './AttachmentTray.tsx';

export interface ComposerFileHandlers {
  readonly onPaste: (event: ClipboardEvent<HTMLElement>) => void;
  readonly onDragOver: (event: DragEvent<HTMLElement>) => void;
  readonly onDragLeave: (event: DragEvent<HTMLElement>) => void;
  readonly onDrop: (event: DragEvent<HTMLElement>) => void;
}

export function useComposerFiles(tray: AttachmentTray | undefined, disabled: boolean): { readonly handlers: ComposerFileHandlers; readonly dragging: boolean } {
  const [dragging, setDragging] = useState(false);
  const takes = tray !== undefined && !disabled;
  const carriesFiles = (event: DragEvent<HTMLElement>) => event.dataTransfer.types.includes('Files');
  return {
    dragging: takes && dragging,
    handlers: {
      onPaste(event) {
        if (!takes) return;
        const files = pastedFiles(event.clipboardData);
        if (files.length === 0) return;
        // A copied image often comes with its text too: the text still pastes as usual then.
        if (!event.clipboardData.types.includes('text/plain')) event.preventDefault();
        tray.add(files);
      },
      onDragOver(event) {
        if (!takes || !carriesFiles(event)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
        setDragging(true);
      },
      onDragLeave(event) {
        // Leaving for a child of the form is not leaving the form.
        if (event.relatedTarget instanceof Node && event.currentTarget.contains(event.relatedTarget)) return;
        setDragging(false);
      },
      onDrop(event) {
        setDragging(false);
        if (!takes || event.dataTransfer.files.length === 0) return;
        event.preventDefault();
        tray.add([...event.dataTransfer.files]);
      },
    },
  };
}
