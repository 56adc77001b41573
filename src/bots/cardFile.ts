/**
 * Reading a character card from a file, for `thrds bot add` and
 * THRDS_BOTS_DIR: a JSON card, or a PNG card with the JSON inside
 * (pngCard.ts). A size cap before anything is parsed, JSON syntax errors
 * with the file's name and the line and column, then the card's own checks
 * (characterCard.ts), every refusal one line that names the file and the
 * field: `ada.json: data.first_mes must be a string`.
 */
import { open } from 'node:fs/promises';
import { ThrdsError, ValidationError } from '../errors.ts';
import { parseCharacterCard } from './characterCard.ts';
import { cardJsonFromPng, looksLikePng, PngCardProblem } from './pngCard.ts';
import type { CharacterCard } from './types.ts';

/** A card is at most 64 KB of JSON (characterCard.ts); a pretty-printed or padded file gets room, a stray dump does not. */
export const CARD_FILE_MAX_BYTES = 256 * 1024;
/** A PNG card is mostly its picture: a few MB at most in the wild. */
export const PNG_CARD_MAX_BYTES = 8 * 1024 * 1024;

/** A card file that cannot be used: `reason` says why, `file` which (as the caller named it). */
export class CardFileError extends ValidationError {
  constructor(
    readonly file: string,
    readonly reason: string,
    details: Readonly<Record<string, unknown>> = {},
  ) {
    super(`${file}: ${reason}`, { ...details, file });
  }
}

/** A card as its file gave it. */
export interface CardFile {
  readonly card: CharacterCard;
  /** The PNG the card came in (its picture: botPicture.ts); null for a JSON card. */
  readonly picture: Buffer | null;
}

/**
 * Reads and validates the card in `path`; `name` is how messages call the
 * file (default: the path as given). Throws CardFileError, and nothing else
 * for a file that is missing, too big, not JSON or not a valid card.
 */
export async function readCardFile(path: string, name: string = path): Promise<CardFile> {
  const bytes = await readCapped(path, name);
  return { card: parseCardText(bytes, name), picture: looksLikePng(bytes) ? bytes : null };
}

/** The card in `bytes` (a file's content); pure, so every refusal is testable without files. */
export function parseCardText(bytes: Buffer, name: string): CharacterCard {
  if (looksLikePng(bytes)) {
    try {
      bytes = cardJsonFromPng(bytes);
    } catch (error) {
      if (error instanceof PngCardProblem) throw new CardFileError(name, error.message);
      throw error;
    }
  } else if (bytes.length > CARD_FILE_MAX_BYTES) {
    throw new CardFileError(name, `is larger than ${CARD_FILE_MAX_BYTES / 1024} KB: not a character card`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CardFileError(name, 'is not UTF-8 text');
  }
  // Some editors write a byte-order mark; JSON.parse refuses it.
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  if (text.trim() === '') throw new CardFileError(name, 'is empty');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CardFileError(name, `is not JSON: ${syntaxError(error, text)}`);
  }
  try {
    return parseCharacterCard(json);
  } catch (error) {
    if (error instanceof ThrdsError) throw new CardFileError(name, error.message, error.details);
    throw error;
  }
}

/**
 * The username a card asks for: `data.extensions.thrds.username`, so a card
 * in THRDS_BOTS_DIR can keep its handle when its name changes. undefined
 * when it names none; the username's own rules are addBot's to check.
 */
export function cardUsername(card: CharacterCard, name: string): string | undefined {
  const thrds = card.data.extensions.thrds;
  if (thrds === undefined) return undefined;
  if (typeof thrds !== 'object' || thrds === null || Array.isArray(thrds)) throw new CardFileError(name, 'data.extensions.thrds must be an object', { field: 'data.extensions.thrds' });
  const username = (thrds as { username?: unknown }).username;
  if (username === undefined) return undefined;
  if (typeof username !== 'string') throw new CardFileError(name, 'data.extensions.thrds.username must be a string', { field: 'data.extensions.thrds.username' });
  return username;
}

/** The file's bytes, refusing (without reading it all) one over PNG_CARD_MAX_BYTES (a JSON card's own cap is parseCardText's). */
async function readCapped(path: string, name: string): Promise<Buffer> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new CardFileError(name, `cannot be read: ${fileProblem(error)}`);
  }
  try {
    const stats = await handle.stat();
    if (stats.isDirectory()) throw new CardFileError(name, 'is a directory, not a card file');
    // One byte over the cap is enough to know it is too big, whatever stat said (the file may grow).
    const buffer = Buffer.alloc(Math.min(PNG_CARD_MAX_BYTES, Math.max(stats.size, CARD_FILE_MAX_BYTES)) + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > PNG_CARD_MAX_BYTES) throw new CardFileError(name, `is larger than ${PNG_CARD_MAX_BYTES / 1024 / 1024} MB: not a character card`);
    return buffer.subarray(0, length);
  } catch (error) {
    if (error instanceof CardFileError) throw error;
    throw new CardFileError(name, `cannot be read: ${fileProblem(error)}`);
  } finally {
    await handle.close();
  }
}

function fileProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return error instanceof Error ? error.message : String(error);
}

/** JSON.parse's complaint, with the line and column where V8 gives only an offset. */
function syntaxError(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const at = /\s*(?:in JSON )?at position (\d+)(?: \(line \d+ column \d+\))?/.exec(message);
  if (!at) return message;
  const offset = Number(at[1]);
  const before = text.slice(0, offset).split('\n');
  return `${message.slice(0, at.index)} at line ${before.length}, column ${before.at(-1)!.length + 1}`;
}
