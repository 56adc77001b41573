/**
 * A small preview of an image the reader picked, made in the browser while
 * it uploads. A data: URL, because the app's Content-Security-Policy lets
 * images come from this origin and data: only (no blob:).
 */
const previewPx = 160;

/** Null when the browser cannot decode it (the server may still take it as a file). */
export async function imagePreview(file: Blob): Promise<string | null> {
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, previewPx / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    return canvas.toDataURL('image/png');
  } catch {
    // Not decodable here (a HEIC, a broken file): the tray shows its name instead.
    return null;
  }
}
