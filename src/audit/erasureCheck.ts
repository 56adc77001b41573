/**
 * The erasure half of `thrds verify` and `thrds import`, beside the hash
 * chain (chainCheck.ts). The chain commits to each event's `data`, and an
 * erasable event's data holds the salted digest of its content, so:
 *
 * - content present must hash to that digest (else it was edited);
 * - content erased (NULL) must have been erased by a later event whose
 *   `data.erases` names its key (else it was removed by someone else);
 * - content still present under a key that a later event erased was put
 *   back (or never erased): found by one indexed query at the end.
 *
 * Rows are parsed only when their data text holds an `erasable` or `erases`
 * key; every other row costs two substring searches. A message's row (its
 * data opens with its erasable entry) is read from its text without parsing
 * (erasableText.ts), and hashed as bytes when verify reads bytes.
 */
import { hash } from 'node:crypto';
import type { Sql } from '../db/database.ts';
import { inList } from '../db/sqlFragments.ts';
import { canonicalJson } from '../events/canonicalJson.ts';
import { contentDigest, erasableOf, erasesOf } from '../events/erasableContent.ts';
import { type EventRow, parseJson } from '../events/eventRows.ts';
import type { StoredEvent } from '../events/types.ts';
import type { Finding } from './chainCheck.ts';
import { DIGEST_LENGTH, erasableSpan } from './erasableText.ts';
import { type ByteRow, decodedRow, integerOf } from './rowBytes.ts';

export interface ErasureCounts {
  /** Events whose erasable content was erased. */
  readonly erased: number;
  /** Events that erase content (deletions). */
  readonly erasing: number;
  /** Events under an erased key whose text sits inside their hashed data (written before erasable content): kept, tombstoned in the read models. */
  readonly unerasable: number;
}

/** Whether stored data text may hold erasable content or an erasure (then it is parsed). */
export function mentionsErasure(dataJson: string): boolean {
  return dataJson.includes('"erasable":') || dataJson.includes('"erases":');
}

const ERAS_TEXT = '"eras';
const ERAS = Buffer.from(ERAS_TEXT);

/**
 * What a check of one stretch of the log found, in a form a worker thread
 * can post (logWorkers.ts): merged stretch by stretch in position order with
 * `absorb`, it comes to what one check of the whole stretch would.
 */
export interface ErasureState {
  readonly erased: number;
  readonly erasing: number;
  readonly pending: readonly (readonly [string, number])[];
  readonly erasedKeys: readonly (readonly [string, number])[];
}

export class ErasureCheck {
  private erasedCount = 0;
  private erasingCount = 0;
  /** Erased content not yet authorised by a later erasure, by key: the first position. */
  private readonly pending = new Map<string, number>();
  /** Keys erased in the log, and the position of the event that erased each. */
  readonly erasedKeys = new Map<string, number>();

  get counts(): Omit<ErasureCounts, 'unerasable'> {
    return { erased: this.erasedCount, erasing: this.erasingCount };
  }

  /** Checks a stored row (verify). */
  pushRow(row: EventRow): Finding | undefined {
    const position = Number(row.position);
    const text = row.data;
    if (typeof text === 'string') {
      if (!mentionsErasure(text)) return row.content === null ? undefined : contentWithoutDigest(position);
      // A message's data opens with its erasable entry, and names no other erasure: read without parsing (erasableText.ts).
      const span = text.indexOf(ERAS_TEXT, 2) === -1 ? erasableSpan((i) => text.charCodeAt(i)) : undefined;
      if (span && row.erasure_key === text.slice(span.keyAt, span.keyEnd)) {
        if (row.content === null) return this.erased(row.erasure_key, position);
        if (contentDigest(row.content) === text.slice(span.digestAt, span.digestAt + DIGEST_LENGTH)) return undefined;
      }
    }
    const data = parseJson(row.data) as Record<string, unknown>;
    return this.check(position, data, row.content, row.erasure_key);
  }

  /** The same check of a row streamed as bytes (rowBytes.ts): only a row whose data may hold an erasure is looked at closer, and decoded unless it is a message's. */
  pushBytes(row: ByteRow): Finding | undefined {
    const data = row.data;
    // `"erasable":` and `"erases":` both start with `"eras`: one search rules both out.
    const at = data.indexOf(ERAS);
    if (at === -1) return row.content === null ? undefined : contentWithoutDigest(integerOf(row.position));
    const key = row.erasure_key;
    // A message's data opens with its erasable entry, and names no other erasure: read without decoding (erasableText.ts).
    if (key && at === 1 && data.indexOf(ERAS, 2) === -1) {
      const span = erasableSpan((i) => data[i]!);
      if (span && key.compare(data, span.keyAt, span.keyEnd) === 0) {
        if (row.content === null) return this.erased(key.toString('latin1'), integerOf(row.position));
        if (hexEquals(hash('sha256', row.content), data, span.digestAt)) return undefined;
      }
    }
    return this.pushRow(decodedRow(row));
  }

  /** Checks an event in its stored form (import: there is no erasure_key column to compare). */
  push(event: StoredEvent): Finding | undefined {
    return this.check(event.position, event.data, event.content ? canonicalJson(event.content) : null, undefined);
  }

  state(): ErasureState {
    return { erased: this.erasedCount, erasing: this.erasingCount, pending: [...this.pending], erasedKeys: [...this.erasedKeys] };
  }

  /**
   * Adds the check of the stretch right after the one checked so far. Every
   * erasure in it comes after all content seen so far, so it authorises that
   * content's key; its own pending content keeps its place.
   */
  absorb(later: ErasureState): void {
    this.erasedCount += later.erased;
    this.erasingCount += later.erasing;
    for (const [key, position] of later.erasedKeys) {
      this.pending.delete(key);
      if (!this.erasedKeys.has(key)) this.erasedKeys.set(key, position);
    }
    for (const [key, position] of later.pending) if (!this.pending.has(key)) this.pending.set(key, position);
  }

  /**
   * Events appended after the walk's head (read by a walk that was not one
   * snapshot, so content it met may have been erased meanwhile): an erasure
   * among them authorises the content it erased.
   */
  authoriseLater(datas: Iterable<Readonly<Record<string, unknown>>>): void {
    for (const data of datas) {
      const erases = erasesOf(data);
      if (erases !== undefined) this.pending.delete(erases);
    }
  }

  /** Erased content that no later event erased. */
  end(): Finding | undefined {
    let first: [string, number] | undefined;
    for (const entry of this.pending) if (!first || entry[1] < first[1]) first = entry;
    if (!first) return undefined;
    return {
      kind: 'unauthorised-erasure',
      position: first[1],
      detail: `its content (${first[0]}) was erased, but no later event erases ${first[0]}`,
    };
  }

  /** Content under `key` at `position` is erased: a later event must erase the key. */
  private erased(key: string, position: number): undefined {
    this.erasedCount += 1;
    if (!this.pending.has(key)) this.pending.set(key, position);
    return undefined;
  }

  private check(position: number, data: Readonly<Record<string, unknown>>, contentJson: string | null, erasureKey: string | null | undefined): Finding | undefined {
    const erasable = erasableOf(data);
    if (erasable) {
      if (erasureKey !== undefined && erasureKey !== erasable.key) {
        return { kind: 'edited', position, detail: `its erasure_key (${String(erasureKey)}) is not the key its data names (${erasable.key})` };
      }
      if (contentJson === null) {
        this.erased(erasable.key, position);
      } else if (contentDigest(contentJson) !== erasable.digest) {
        return { kind: 'edited', position, detail: 'its erasable content does not match the digest its hash commits to: the content was changed' };
      }
    } else if (contentJson !== null) {
      return contentWithoutDigest(position);
    }
    const erases = erasesOf(data);
    if (erases !== undefined) {
      this.erasingCount += 1;
      this.pending.delete(erases);
      if (!this.erasedKeys.has(erases)) this.erasedKeys.set(erases, position);
    }
    return undefined;
  }
}

/** Whether the 64 hex digits `hex` are the bytes of `text` at `at`. */
function hexEquals(hex: string, text: Buffer, at: number): boolean {
  for (let k = 0; k < DIGEST_LENGTH; k += 1) if (text[at + k] !== hex.charCodeAt(k)) return false;
  return true;
}

function contentWithoutDigest(position: number): Finding {
  return { kind: 'edited', position, detail: 'it holds erasable content, but its data commits to none' };
}

const KEYS_PER_QUERY = 500;

/**
 * After the walk: content still present under a key erased later in the log
 * (the first such position), and how many events under erased keys hold
 * their text in their hashed data (written before erasable content).
 */
export async function checkErasedKeys(sql: Pick<Sql, 'query'>, erasedKeys: ReadonlyMap<string, number>): Promise<{ finding?: Finding; unerasable: number }> {
  let unerasable = 0;
  let restored: { position: number; key: string } | undefined;
  const keys = [...erasedKeys.keys()];
  for (let i = 0; i < keys.length; i += KEYS_PER_QUERY) {
    const chunk = keys.slice(i, i + KEYS_PER_QUERY);
    const rows = await sql.query<{ position: number | string; erasure_key: string; content: string | null; data: string | object }>(
      `SELECT position, erasure_key, content, data FROM events WHERE erasure_key IN (${inList(chunk)})`,
      chunk,
    );
    for (const row of rows) {
      const position = Number(row.position);
      if (position >= (erasedKeys.get(row.erasure_key) ?? 0)) continue;
      const data = parseJson(row.data) as Record<string, unknown>;
      if (!erasableOf(data)) unerasable += 1;
      else if (row.content !== null && (!restored || position < restored.position)) restored = { position, key: row.erasure_key };
    }
  }
  if (!restored) return { unerasable };
  return {
    unerasable,
    finding: { kind: 'not-erased', position: restored.position, detail: `it still holds content under ${restored.key}, which a later event erased: the content was put back` },
  };
}
