/** PNG character cards for tests: a real PNG (sharp) with `tEXt` chunks inserted after IHDR, CRCs and all. */
import { crc32 } from 'node:zlib';
import sharp from 'sharp';

/** One PNG chunk: length, type, data, CRC over type and data. */
export function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** A `tEXt` chunk: keyword, NUL, text. */
export function textChunk(keyword: string, text: string): Buffer {
  return pngChunk('tEXt', Buffer.concat([Buffer.from(keyword, 'latin1'), Buffer.from([0]), Buffer.from(text, 'latin1')]));
}

/** A 32×32 PNG with `chunks` after its IHDR (signature 8 bytes + IHDR 25). */
export function pngWith(...chunks: Buffer[]): Promise<Buffer> {
  return paintedPng('#c0a060', ...chunks);
}

/** The same, in another colour: another picture with the same card. */
export async function paintedPng(background: string, ...chunks: Buffer[]): Promise<Buffer> {
  const png = await sharp({ create: { width: 32, height: 32, channels: 3, background } }).png().toBuffer();
  return Buffer.concat([png.subarray(0, 33), ...chunks, png.subarray(33)]);
}

/** The chunk a Character Card V2 PNG carries: the card's JSON, base64, under `chara` (or `ccv3` for V3). */
export function cardChunk(card: unknown, keyword: 'chara' | 'ccv3' = 'chara'): Buffer {
  return textChunk(keyword, Buffer.from(JSON.stringify(card), 'utf8').toString('base64'));
}
