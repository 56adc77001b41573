/**
 * Pure planning of a group of appends: given what the log holds now (head,
 * stream versions, stored idempotency keys and event ids, erased keys),
 * decide for each request whether it appends, is a duplicate, or is refused,
 * and assign the positions, stream versions and chained hashes of everything
 * it appends. Erasable content is split off here (erasableContent.ts), and
 * the erasures the group's events make are listed for the store to carry out.
 */
import { ConcurrencyError, NotFoundError, ValidationError } from '../errors.ts';
import { checkErasable, ERASED_REQUEST_HASH, erasesOf, splitErasable } from './erasableContent.ts';
import { type AppendRequest, type LogHead, MAX_IDEMPOTENCY_KEY_LENGTH } from './eventStore.ts';
import { canonicalJson } from './canonicalJson.ts';
import { type EventRow, rowFromEvent } from './eventRows.ts';
import { chainHashOfCanonicalText } from './hashChain.ts';
import type { StoredEvent } from './types.ts';

export interface StoredKey {
  readonly requestHash: string;
  readonly firstPosition: number;
  readonly lastPosition: number;
}

export interface PlanInput {
  readonly head: LogHead;
  readonly requests: readonly AppendRequest[];
  readonly streamVersions: ReadonlyMap<string, number>;
  readonly storedKeys: ReadonlyMap<string, StoredKey>;
  readonly storedEventIds: ReadonlyMap<string, number>;
  /** Erasure keys already erased (the erasures table), of those this group's events name. */
  readonly erasedKeys?: ReadonlySet<string>;
  /** Each request's precondition verdict (AppendRequest.precondition), by index: an Error refuses it before anything else is checked. */
  readonly refusals?: ReadonlyArray<Error | undefined>;
  readonly now: number;
  readonly newEventId: () => string;
  /** A fresh random salt for each erasable content (32 lowercase hex digits). */
  readonly newSalt: () => string;
}

/** An erasure to carry out with the group: every content under `key` stored before `position` (the erasing event's). */
export interface PlannedErasure {
  readonly key: string;
  readonly position: number;
}

export type Outcome =
  | { readonly kind: 'appended'; readonly events: readonly StoredEvent[]; readonly streamVersion: number }
  | { readonly kind: 'duplicate'; readonly firstPosition: number; readonly lastPosition: number }
  | { readonly kind: 'refused'; readonly error: Error };

export interface NewKey extends StoredKey {
  readonly key: string;
}

export interface Plan {
  readonly outcomes: readonly Outcome[];
  readonly events: readonly StoredEvent[];
  /** Each of `events` as stored, its canonical JSON text the one its hash was computed over. */
  readonly rows: readonly EventRow[];
  readonly keys: readonly NewKey[];
  readonly erasures: readonly PlannedErasure[];
  readonly head: LogHead;
}

export function planAppends(input: PlanInput): Plan {
  const versions = new Map(input.streamVersions);
  const keys = new Map(input.storedKeys);
  const eventIds = new Map(input.storedEventIds);
  const events: StoredEvent[] = [];
  const rows: EventRow[] = [];
  let newKeys: NewKey[] = [];
  const erased = new Set(input.erasedKeys);
  const erasures: PlannedErasure[] = [];
  /** Positions of the content this group writes, by key: a later erasure in the group takes them too. */
  const contentPositions = new Map<string, number[]>();
  let head = input.head;

  const outcomes = input.requests.map((request, i): Outcome => {
    const refusal = checkShape(request) ?? input.refusals?.[i];
    if (refusal) return { kind: 'refused', error: refusal };

    if (request.idempotencyKey !== undefined) {
      const stored = keys.get(request.idempotencyKey);
      if (stored) {
        // Once its events were erased the key's request hash is gone (it hashed the text): a retry is taken as a duplicate.
        if (request.requestHash !== undefined && stored.requestHash !== request.requestHash && stored.requestHash !== ERASED_REQUEST_HASH) {
          // Names the field, not the key: the stored key is scoped (`<user id>:<key>`), and that format is ours, not the client's.
          return refused(new ConcurrencyError('This idempotencyKey was already used for a different request', { field: 'idempotencyKey' }));
        }
        return { kind: 'duplicate', firstPosition: stored.firstPosition, lastPosition: stored.lastPosition };
      }
    }

    const givenIds = request.events.map((e) => e.eventId).filter((id): id is string => id !== undefined);
    const knownPositions = givenIds.map((id) => eventIds.get(id)).filter((p): p is number => p !== undefined);
    if (knownPositions.length > 0) {
      if (knownPositions.length === request.events.length && isConsecutive(knownPositions)) {
        return { kind: 'duplicate', firstPosition: knownPositions[0]!, lastPosition: knownPositions.at(-1)! };
      }
      return refused(new ConcurrencyError('Some of these event ids are already stored', { eventIds: givenIds }));
    }

    const current = versions.get(request.streamId) ?? 0;
    const conflict = checkExpectedVersion(request, current);
    if (conflict) return refused(conflict);

    const gone = refusedErasure(request, erased);
    if (gone) return refused(gone);

    const appended: StoredEvent[] = [];
    const appendedRows: EventRow[] = [];
    const metadataJson = canonicalJson(request.metadata);
    let version = current;
    for (const event of request.events) {
      version += 1;
      const split = event.erasable ? splitErasable(event.data, event.erasable, input.newSalt()) : undefined;
      const unhashed = {
        position: head.position + 1,
        eventId: event.eventId ?? input.newEventId(),
        streamId: request.streamId,
        streamVersion: version,
        type: event.type,
        schemaVersion: event.schemaVersion ?? 1,
        data: split?.data ?? event.data,
        metadata: request.metadata,
        recordedAt: input.now,
      };
      const dataJson = canonicalJson(unhashed.data);
      const hashed = { ...unhashed, hash: chainHashOfCanonicalText(head.hash, unhashed, dataJson, metadataJson) };
      const stored: StoredEvent = split ? { ...hashed, content: split.content } : hashed;
      appended.push(stored);
      appendedRows.push(rowFromEvent(stored, dataJson, metadataJson, split?.contentJson ?? null, event.erasable?.key ?? null));
      eventIds.set(stored.eventId, stored.position);
      head = { position: stored.position, hash: stored.hash };
      if (event.erasable) contentPositions.set(event.erasable.key, [...(contentPositions.get(event.erasable.key) ?? []), stored.position]);
      const erases = erasesOf(event.data);
      if (erases !== undefined) {
        erased.add(erases);
        erasures.push({ key: erases, position: stored.position });
      }
    }
    versions.set(request.streamId, version);
    events.push(...appended);
    rows.push(...appendedRows);
    if (request.idempotencyKey !== undefined) {
      const key: NewKey = {
        key: request.idempotencyKey,
        requestHash: request.requestHash ?? '',
        firstPosition: appended[0]!.position,
        lastPosition: appended.at(-1)!.position,
      };
      keys.set(key.key, key);
      newKeys.push(key);
    }
    return { kind: 'appended', events: appended, streamVersion: version };
  });

  // Keys of this group whose events this group also erased forget their request hash (see ERASED_REQUEST_HASH).
  if (erasures.length > 0 && newKeys.length > 0) {
    const erasedPositions = erasures.flatMap((e) => (contentPositions.get(e.key) ?? []).filter((p) => p < e.position));
    newKeys = newKeys.map((k) => (erasedPositions.some((p) => p >= k.firstPosition && p <= k.lastPosition) ? { ...k, requestHash: ERASED_REQUEST_HASH } : k));
  }
  return { outcomes, events, rows, keys: newKeys, erasures, head };
}

/**
 * New content under a key already erased (an edit decided before the
 * deletion committed), or a second erasure of one, is refused: the message
 * is gone. Checked in event order, so a request may write content and erase
 * it, but not the other way round.
 */
function refusedErasure(request: AppendRequest, erased: ReadonlySet<string>): Error | undefined {
  const here = new Set<string>();
  for (const event of request.events) {
    const invalid = checkErasable(event.type, event.data, event.erasable);
    if (invalid) return invalid;
    const key = event.erasable?.key;
    const erases = erasesOf(event.data);
    for (const k of [key, erases]) {
      if (k !== undefined && (erased.has(k) || here.has(k))) return new NotFoundError('That message was deleted');
    }
    if (erases !== undefined) here.add(erases);
  }
  return undefined;
}

function refused(error: Error): Outcome {
  return { kind: 'refused', error };
}

function isConsecutive(positions: readonly number[]): boolean {
  return positions.every((p, i) => i === 0 || p === positions[i - 1]! + 1);
}

function checkShape(request: AppendRequest): Error | undefined {
  if (request.events.length === 0) return new ValidationError('An append needs at least one event');
  if (!request.streamId || request.streamId.length > 128) return new ValidationError('streamId must be 1-128 characters');
  if (request.idempotencyKey !== undefined && (request.idempotencyKey.length === 0 || request.idempotencyKey.length > MAX_IDEMPOTENCY_KEY_LENGTH)) {
    return new ValidationError(`idempotencyKey must be 1-${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
  }
  return undefined;
}

function checkExpectedVersion(request: AppendRequest, current: number): Error | undefined {
  const expected = request.expectedVersion ?? 'any';
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && current === 0) ||
    (expected === 'stream_exists' && current > 0) ||
    expected === current;
  if (ok) return undefined;
  return new ConcurrencyError(`Stream ${request.streamId} is at version ${current}, expected ${String(expected)}`, {
    streamId: request.streamId,
    expectedVersion: expected,
    actualVersion: current,
  });
}
