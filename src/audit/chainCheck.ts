/**
 * The incremental check behind `thrds verify` and `thrds import`: fed the
 * events in position order, it walks the position sequence and the hash
 * chain, holding only the previous event's position and hash.
 *
 * A hash that does not match its event is classified with one event of
 * look-ahead. The chain links each event to the *stored* hash before it, so
 * when only an event's body was edited the next event still links to the
 * stored hash: that is `edited`. When the next event does not link either,
 * the stored hash itself belongs elsewhere in the chain: the event was
 * moved, `reordered`.
 */
import { eventFromRow, type EventRow, fieldsFromRow } from '../events/eventRows.ts';
import { hash } from 'node:crypto';
import { chainHash, chainHashOfCanonicalText, GENESIS_HASH } from '../events/hashChain.ts';
import type { LogHead } from '../events/eventStore.ts';
import type { StoredEvent } from '../events/types.ts';
import { canonicalJson } from '../events/canonicalJson.ts';
import { maxHashedBytes, writeHashedBytes } from './chainBytes.ts';
import { type ByteRow, decodedRow, integerOf, isOdd } from './rowBytes.ts';

/**
 * `unauthorised-erasure` and `not-erased` come from the erasure check
 * (erasureCheck.ts): content erased without a later event erasing its key,
 * and content present though a later event erased its key.
 */
export type FindingKind = 'edited' | 'missing' | 'reordered' | 'head-mismatch' | 'unauthorised-erasure' | 'not-erased';

export interface Finding {
  readonly kind: FindingKind;
  /** The first position that is wrong. */
  readonly position: number;
  readonly detail: string;
}

interface Suspect {
  readonly position: number;
  readonly storedHash: string;
}

export class ChainCheck {
  private lastPosition: number;
  private lastHash: string;
  private suspect: Suspect | undefined;
  private checked = 0;
  /** Rows left before hashing stored text is tried again (logs written before it was canonical miss every time). */
  private textPause = 0;
  /** Where pushBytes puts together the text it hashes. */
  private scratch = Buffer.allocUnsafe(4096);

  constructor(start: LogHead = { position: 0, hash: GENESIS_HASH }) {
    this.lastPosition = start.position;
    this.lastHash = start.hash;
  }

  /** Events that passed, and the position and hash the chain stands at. */
  get count(): number {
    return this.checked;
  }

  get head(): LogHead {
    return { position: this.lastPosition, hash: this.lastHash };
  }

  /** Starts the walk again from `start`, before any event was pushed (a stretch that found the event it starts after). */
  restart(start: LogHead): void {
    this.lastPosition = start.position;
    this.lastHash = start.hash;
  }

  /** A hash that did not match waits for the next event to tell how it went wrong. */
  get unsettled(): boolean {
    return this.suspect !== undefined;
  }

  /**
   * Checks the next row. Rows store `data` and `metadata` as canonical JSON,
   * the bytes the hash covers, so a row whose stored text hashes to its
   * stored hash passes without being parsed (SHA-256 makes that match proof
   * that the text is the canonical form it was appended with). Anything else
   * (text written before it was canonical, or a row that fails) gets the
   * full check.
   */
  pushRow(row: EventRow): Finding | undefined {
    if (this.textPause > 0) this.textPause -= 1;
    else if (!this.suspect && typeof row.data === 'string' && typeof row.metadata === 'string') {
      const fields = fieldsFromRow(row);
      if (fields.position === this.lastPosition + 1 && chainHashOfCanonicalText(this.lastHash, fields, row.data, row.metadata) === row.hash) {
        this.lastPosition = fields.position;
        this.lastHash = row.hash;
        this.checked += 1;
        return undefined;
      }
      this.textPause = 1024;
    }
    return this.push(eventFromRow(row));
  }

  /**
   * Checks the next row streamed as bytes (MariaDB/MySQL): the stored bytes
   * the hash covers are put together and hashed as they are (chainBytes.ts).
   * A row they would not make exactly (`odd`), or one that does not pass,
   * gets `pushRow` with its columns decoded.
   */
  pushBytes(row: ByteRow): Finding | undefined {
    if (this.textPause > 0 || this.suspect || isOdd(row)) return this.pushRow(decodedRow(row));
    const position = integerOf(row.position);
    if (position === this.lastPosition + 1) {
      const room = maxHashedBytes(row, this.lastHash);
      if (room > this.scratch.length) this.scratch = Buffer.allocUnsafe(room * 2);
      const end = writeHashedBytes(this.scratch, row, this.lastHash);
      const found = hash('sha256', this.scratch.subarray(0, end));
      if (row.hash.length === found.length && row.hash.toString('latin1') === found) {
        this.lastPosition = position;
        this.lastHash = found;
        this.checked += 1;
        return undefined;
      }
    }
    return this.pushRow(decodedRow(row));
  }

  /**
   * Checks the next event; returns the first problem once it is known.
   * `dataJson` and `metadataJson`, its canonical JSON, when the caller has
   * them already (import stores the same text).
   */
  push(event: StoredEvent, dataJson = canonicalJson(event.data), metadataJson = canonicalJson(event.metadata)): Finding | undefined {
    const suspect = this.suspect;
    if (suspect) return this.classify(suspect, event);
    const expected = this.lastPosition + 1;
    if (event.position !== expected) return this.misplaced(expected, event.position);
    if (chainHashOfCanonicalText(this.lastHash, event, dataJson, metadataJson) !== event.hash) {
      this.suspect = { position: event.position, storedHash: event.hash };
      return undefined;
    }
    this.lastPosition = event.position;
    this.lastHash = event.hash;
    this.checked += 1;
    return undefined;
  }

  /** Ends the walk; `head` is the log_head row the log should end at, when there is one. */
  end(head?: LogHead): Finding | undefined {
    const suspect = this.suspect;
    if (suspect) {
      return {
        kind: head && head.hash !== suspect.storedHash ? 'reordered' : 'edited',
        position: suspect.position,
        detail: `the last event's hash does not match its contents (it does not chain from position ${suspect.position - 1})`,
      };
    }
    if (!head) return undefined;
    if (this.lastPosition < head.position) {
      const first = this.lastPosition + 1;
      return {
        kind: 'missing',
        position: first,
        detail: `the log ends at position ${this.lastPosition} but its head says ${head.position}: ${describeRange(first, head.position)} missing`,
      };
    }
    if (this.lastHash !== head.hash) {
      return { kind: 'head-mismatch', position: head.position, detail: `the chain ends in ${this.lastHash} but log_head records ${head.hash}` };
    }
    return undefined;
  }

  private classify(suspect: Suspect, next: StoredEvent): Finding {
    if (next.position === suspect.position + 1 && chainHash(suspect.storedHash, next) === next.hash) {
      return {
        kind: 'edited',
        position: suspect.position,
        detail: 'the hash does not match the event: its contents were changed after it was written',
      };
    }
    return {
      kind: 'reordered',
      position: suspect.position,
      detail: `the event does not chain from position ${suspect.position - 1}, and position ${suspect.position + 1} does not chain from it: events were moved`,
    };
  }

  private misplaced(expected: number, found: number): Finding {
    if (found > expected) {
      return { kind: 'missing', position: expected, detail: `${describeRange(expected, found - 1)} missing: the next event found is at ${found}` };
    }
    return { kind: 'reordered', position: found, detail: `position ${found} comes after position ${expected - 1}: events are out of order` };
  }
}

function describeRange(from: number, to: number): string {
  return from === to ? `position ${from} is` : `positions ${from}-${to} are`;
}
