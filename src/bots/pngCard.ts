/**
 * The card inside a PNG character card: how most cards are shared (the
 * picture with the character in it). The Character Card V2 spec puts the
 * card's JSON, base64-encoded, in a `tEXt` chunk with the keyword `chara`;
 * V3 cards add a `ccv3` chunk and keep `chara` for V2 readers. This finds
 * `chara` (else `ccv3`, whose V3 card the validator then refuses with how to
 * convert it) by walking the chunks with every length checked against the
 * file, and hands back the JSON's bytes; nothing of the image is decoded.
 */

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Whether `bytes` start like a PNG (the first four signature bytes: what a truncated one still has). */
export function looksLikePng(bytes: Buffer): boolean {
  return bytes.length >= 4 && bytes.subarray(0, 4).equals(PNG_SIGNATURE.subarray(0, 4));
}

/** Why a PNG holds no card to read: cardFile.ts names the file in front of `message`. */
export class PngCardProblem extends Error {
  override readonly name = 'PngCardProblem';
}

/** The card's JSON (UTF-8 bytes) from a PNG card; PngCardProblem when there is none to read. */
export function cardJsonFromPng(bytes: Buffer): Buffer {
  if (bytes.length < PNG_SIGNATURE.length || !bytes.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)) {
    throw new PngCardProblem('is not a whole PNG file (its signature is cut or wrong)');
  }
  const found = new Map<string, Buffer>();
  let at = PNG_SIGNATURE.length;
  while (at < bytes.length) {
    if (at + 8 > bytes.length) throw new PngCardProblem(`is a damaged PNG: a chunk header is cut at byte ${at}`);
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const dataStart = at + 8;
    const dataEnd = dataStart + length;
    // The data and its 4-byte CRC must be inside the file.
    if (dataEnd + 4 > bytes.length) throw new PngCardProblem(`is a damaged PNG: the ${JSON.stringify(type)} chunk at byte ${at} runs past the end`);
    if (type === 'tEXt') {
      const data = bytes.subarray(dataStart, dataEnd);
      const nul = data.indexOf(0);
      const keyword = nul > 0 ? data.toString('latin1', 0, nul) : '';
      if ((keyword === 'chara' || keyword === 'ccv3') && !found.has(keyword)) found.set(keyword, data.subarray(nul + 1));
    }
    if (type === 'IEND') break;
    at = dataEnd + 4;
  }
  const text = found.get('chara') ?? found.get('ccv3');
  if (!text) throw new PngCardProblem('is a PNG with no character card in it (no tEXt chunk "chara")');
  const encoded = text.toString('latin1').trim();
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded) || encoded.length % 4 === 1) throw new PngCardProblem('is a PNG whose "chara" chunk is not base64');
  return Buffer.from(encoded, 'base64');
}
