/**
 * planAppends, the pure heart of the group commit: given what the log holds
 * (its head, stream versions, stored idempotency keys and event ids) and a
 * group of append requests, what each request gets (appended, duplicate or
 * refused) and exactly which positions, versions and hashes it is planned at.
 */
import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../../src/errors.ts';
import { GENESIS_HASH, chainHash } from '../../src/events/hashChain.ts';
import { MAX_IDEMPOTENCY_KEY_LENGTH, type AppendRequest, type LogHead } from '../../src/events/eventStore.ts';
import { type Outcome, type Plan, type PlanInput, type StoredKey, planAppends } from '../../src/events/planAppends.ts';
import type { NewEvent, StoredEvent } from '../../src/events/types.ts';
import { contentDigest, ERASED_REQUEST_HASH } from '../../src/events/erasableContent.ts';

const NOW = 1_767_000_000_000;
const stream = 'thread-c0000000-0000-4000-8000-00000000000c';
const otherStream = 'thread-d0000000-0000-4000-8000-00000000000d';
const metadata = { actorId: 'a0000000-0000-4000-8000-00000000000a', correlationId: 'req-1', causationId: null };

/** What the log holds before the group: empty unless said otherwise. */
interface GivenLog {
  readonly head?: LogHead;
  readonly streams?: Readonly<Record<string, number>>;
  readonly keys?: Readonly<Record<string, StoredKey>>;
  readonly eventIds?: Readonly<Record<string, number>>;
}

const emptyLog: GivenLog = {};

/** A log whose head is at `position`, with `stream` at `version`. */
function aLogWith(position: number, version: number, more: Omit<GivenLog, 'head' | 'streams'> = {}): GivenLog {
  return { head: { position, hash: 'a'.repeat(64) }, streams: { [stream]: version }, ...more };
}

function aMessage(body: string, eventId?: string): NewEvent {
  return { type: 'MessagePosted', schemaVersion: 2, data: { body, format: 'plain' }, ...(eventId === undefined ? {} : { eventId }) };
}

/** One request appending one message to `stream`, with whatever it overrides. */
function anAppend(overrides: Partial<AppendRequest> = {}): AppendRequest {
  return { streamId: stream, events: [aMessage('hello')], metadata, ...overrides };
}

/** Salts a writer would generate: 32 hex digits counting up. */
function saltGenerator(): () => string {
  let n = 0;
  return () => (n += 1).toString(16).padStart(32, '0');
}

/** Event ids a writer would generate: e-1, e-2, … in order. */
function idGenerator(): () => string {
  let n = 0;
  return () => `e-${(n += 1)}`;
}

function planned(log: GivenLog, ...requests: AppendRequest[]): Plan {
  return planAppends(inputFor(log, requests));
}

/** A message whose body is erasable under `message:<id>`, as the modules write it (MessagePosted v3). */
function anErasableMessage(messageId: string, body: string): NewEvent {
  return { type: 'MessagePosted', schemaVersion: 3, data: { messageId, body, format: 'plain' }, erasable: { key: `message:${messageId}`, fields: ['body'] } };
}

function aDeletion(messageId: string): NewEvent {
  return { type: 'MessageDeleted', data: { messageId, erases: `message:${messageId}` } };
}

function inputFor(log: GivenLog, requests: readonly AppendRequest[], newEventId = idGenerator()): PlanInput {
  return {
    head: log.head ?? { position: 0, hash: GENESIS_HASH },
    requests,
    streamVersions: new Map(Object.entries(log.streams ?? {})),
    storedKeys: new Map(Object.entries(log.keys ?? {})),
    storedEventIds: new Map(Object.entries(log.eventIds ?? {})),
    now: NOW,
    newEventId,
    newSalt: saltGenerator(),
  };
}

function appended(outcome: Outcome | undefined): Extract<Outcome, { kind: 'appended' }> {
  if (outcome?.kind !== 'appended') throw new Error(`expected appended, got ${JSON.stringify(outcome)}`);
  return outcome;
}

/** The refusal's code and details (ThrdsError), for matching. */
function refusal(outcome: Outcome | undefined): { code: unknown; message: string; details: unknown } {
  if (outcome?.kind !== 'refused') throw new Error(`expected refused, got ${JSON.stringify(outcome)}`);
  const error = outcome.error as Error & { code?: unknown; details?: unknown };
  return { code: error.code, message: error.message, details: error.details };
}

function expectNothingPlanned(plan: Plan, log: GivenLog = emptyLog): void {
  expect(plan.events).toEqual([]);
  expect(plan.rows).toEqual([]);
  expect(plan.keys).toEqual([]);
  expect(plan.head).toEqual(log.head ?? { position: 0, hash: GENESIS_HASH });
}

function withoutHash(event: StoredEvent): Omit<StoredEvent, 'hash'> {
  const { hash: _hash, ...rest } = event;
  return rest;
}

describe('planAppends', () => {
  describe('appending', () => {
    it('given an empty log, when a request appends two events, then they get positions 1 and 2, stream versions 1 and 2, the clock and generated ids', () => {
      const plan = planned(emptyLog, anAppend({ events: [aMessage('one'), aMessage('two')] }));
      const outcome = appended(plan.outcomes[0]);
      expect(outcome.streamVersion).toBe(2);
      expect(outcome.events.map((e) => [e.position, e.streamVersion, e.eventId, e.recordedAt, e.streamId])).toEqual([
        [1, 1, 'e-1', NOW, stream],
        [2, 2, 'e-2', NOW, stream],
      ]);
      expect(plan.events).toEqual(outcome.events);
      expect(plan.head).toEqual({ position: 2, hash: outcome.events[1]!.hash });
    });

    it('given a log at position 7 with the stream at version 3, when a request appends, then it lands at position 8 as version 4', () => {
      const outcome = appended(planned(aLogWith(7, 3), anAppend()).outcomes[0]);
      expect(outcome.events.map((e) => [e.position, e.streamVersion])).toEqual([[8, 4]]);
      expect(outcome.streamVersion).toBe(4);
    });

    it('given an event without a schema version, when it is appended, then it is stored as version 1', () => {
      const outcome = appended(planned(emptyLog, anAppend({ events: [{ type: 'ThreadCreated', data: { title: 'T' } }] })).outcomes[0]);
      expect(outcome.events[0]!.schemaVersion).toBe(1);
    });

    it('given an event that brings its own id, when it is appended, then it keeps that id and no id is generated for it', () => {
      const outcome = appended(planned(emptyLog, anAppend({ events: [aMessage('mine', 'my-id'), aMessage('generated')] })).outcomes[0]);
      expect(outcome.events.map((e) => e.eventId)).toEqual(['my-id', 'e-1']);
    });

    it('given two requests in one group on two streams and a third on the first again, then positions run on across them and each stream counts its own versions', () => {
      const plan = planned(aLogWith(10, 2), anAppend(), anAppend({ streamId: otherStream }), anAppend());
      expect(plan.outcomes.map((o) => appended(o).events.map((e) => [e.position, e.streamId, e.streamVersion]))).toEqual([
        [[11, stream, 3]],
        [[12, otherStream, 1]],
        [[13, stream, 4]],
      ]);
    });

    it('given a request with an idempotency key, when it is appended, then the key is recorded with its request hash and positions', () => {
      const plan = planned(aLogWith(4, 1), anAppend({ idempotencyKey: 'user-1:k1', requestHash: 'h1', events: [aMessage('a'), aMessage('b')] }));
      expect(plan.keys).toEqual([{ key: 'user-1:k1', requestHash: 'h1', firstPosition: 5, lastPosition: 6 }]);
    });

    it('given a request without a key, when it is appended, then no key is recorded', () => {
      expect(planned(emptyLog, anAppend()).keys).toEqual([]);
    });

    it('given the maps it was handed, when it plans, then it leaves them as they were', () => {
      const input = inputFor(aLogWith(3, 3, { keys: { k: { requestHash: 'h', firstPosition: 1, lastPosition: 1 } } }), [anAppend({ idempotencyKey: 'new' })]);
      planAppends(input);
      expect([...input.streamVersions]).toEqual([[stream, 3]]);
      expect([...input.storedKeys.keys()]).toEqual(['k']);
      expect(input.storedEventIds.size).toBe(0);
    });
  });

  describe('rows', () => {
    it('given appended events, then each has a row holding its data and metadata as canonical JSON text, the bytes its hash covers', () => {
      const plan = planned(emptyLog, anAppend({ events: [{ type: 'MessagePosted', data: { z: 1, a: 'é' } }] }));
      expect(plan.rows).toHaveLength(1);
      expect(plan.rows[0]).toMatchObject({ position: 1, event_id: 'e-1', stream_id: stream, stream_version: 1, type: 'MessagePosted', data: '{"a":"é","z":1}', hash: plan.events[0]!.hash });
      expect(plan.rows[0]!.metadata).toBe(JSON.stringify({ actorId: metadata.actorId, causationId: null, correlationId: 'req-1' }));
    });
  });

  describe('hash chaining', () => {
    it('given an empty log, when one event is appended, then its hash chains from the genesis hash', () => {
      const [event] = planned(emptyLog, anAppend()).events;
      expect(event!.hash).toBe(chainHash(GENESIS_HASH, withoutHash(event!)));
    });

    it('given a log with a head hash, when events of two requests are appended, then each hash chains from the one before, across the requests', () => {
      const log = aLogWith(5, 1);
      const plan = planned(log, anAppend({ events: [aMessage('a'), aMessage('b')] }), anAppend({ streamId: otherStream }));
      let previous = log.head!.hash;
      for (const event of plan.events) {
        expect(event.hash).toBe(chainHash(previous, withoutHash(event)));
        previous = event.hash;
      }
      expect(plan.events).toHaveLength(3);
    });

    it('given two requests, when they are planned in one group or one group after the other, then the log is the same to the last hash', () => {
      const first = anAppend({ events: [aMessage('a'), aMessage('b')] });
      const second = anAppend({ streamId: otherStream });
      const together = planAppends(inputFor(emptyLog, [first, second]));
      const ids = idGenerator();
      const alone = planAppends(inputFor(emptyLog, [first], ids));
      const after = planAppends(inputFor({ head: alone.head, streams: { [stream]: 2 } }, [second], ids));
      expect([...alone.events, ...after.events]).toEqual(together.events);
      expect(after.head).toEqual(together.head);
    });

    it('given a refused request between two that append, then the refused one takes no position and the chain has no gap', () => {
      const plan = planned(emptyLog, anAppend(), anAppend({ expectedVersion: 'no_stream' }), anAppend({ streamId: otherStream }));
      expect(plan.outcomes.map((o) => o.kind)).toEqual(['appended', 'refused', 'appended']);
      expect(plan.events.map((e) => e.position)).toEqual([1, 2]);
      expect(plan.events[1]!.hash).toBe(chainHash(plan.events[0]!.hash, withoutHash(plan.events[1]!)));
    });
  });

  describe('idempotency keys', () => {
    const stored = { 'user-1:k1': { requestHash: 'h1', firstPosition: 3, lastPosition: 4 } };

    it('given a stored key, when the same request comes again under it, then it is a duplicate of the stored positions and nothing is planned', () => {
      const log = aLogWith(9, 2, { keys: stored });
      const plan = planned(log, anAppend({ idempotencyKey: 'user-1:k1', requestHash: 'h1' }));
      expect(plan.outcomes).toEqual([{ kind: 'duplicate', firstPosition: 3, lastPosition: 4 }]);
      expectNothingPlanned(plan, log);
    });

    it('given a stored key, when a request without a request hash comes under it, then it is a duplicate (there is nothing to compare)', () => {
      expect(planned(aLogWith(9, 2, { keys: stored }), anAppend({ idempotencyKey: 'user-1:k1' })).outcomes[0]).toEqual({ kind: 'duplicate', firstPosition: 3, lastPosition: 4 });
    });

    it('given a stored key, when a different request comes under it, then it is refused with CONFLICT naming the field, not the stored key, and nothing is planned', () => {
      const log = aLogWith(9, 2, { keys: stored });
      const plan = planned(log, anAppend({ idempotencyKey: 'user-1:k1', requestHash: 'h2' }));
      const { code, message, details } = refusal(plan.outcomes[0]);
      expect(code).toBe('CONFLICT');
      expect(details).toEqual({ field: 'idempotencyKey' });
      expect(message).not.toContain('user-1');
      expectNothingPlanned(plan, log);
    });

    it('given two requests with the same key in one group, then the first appends and the second is a duplicate of it', () => {
      const plan = planned(emptyLog, anAppend({ idempotencyKey: 'k', requestHash: 'h' }), anAppend({ idempotencyKey: 'k', requestHash: 'h' }));
      expect(plan.outcomes[1]).toEqual({ kind: 'duplicate', firstPosition: 1, lastPosition: 1 });
      expect(plan.events).toHaveLength(1);
      expect(plan.keys).toHaveLength(1);
    });

    it('given two different requests with the same key in one group, then the second is refused with CONFLICT', () => {
      const plan = planned(emptyLog, anAppend({ idempotencyKey: 'k', requestHash: 'h' }), anAppend({ idempotencyKey: 'k', requestHash: 'other' }));
      expect(refusal(plan.outcomes[1]).code).toBe('CONFLICT');
      expect(plan.events).toHaveLength(1);
    });

    it('given a stored key, when a request under it expects a version the stream has moved past, then it is still a duplicate: the key is checked first', () => {
      const plan = planned(aLogWith(9, 5, { keys: stored }), anAppend({ idempotencyKey: 'user-1:k1', requestHash: 'h1', expectedVersion: 'no_stream' }));
      expect(plan.outcomes[0]?.kind).toBe('duplicate');
    });
  });

  describe('event ids', () => {
    it('given events stored at positions 5 and 6, when a request brings exactly those ids again, then it is a duplicate of 5 to 6 and nothing is planned', () => {
      const log = aLogWith(9, 2, { eventIds: { x: 5, y: 6 } });
      const plan = planned(log, anAppend({ events: [aMessage('x', 'x'), aMessage('y', 'y')] }));
      expect(plan.outcomes).toEqual([{ kind: 'duplicate', firstPosition: 5, lastPosition: 6 }]);
      expectNothingPlanned(plan, log);
    });

    it('given one of two event ids stored, when a request brings both, then it is refused with CONFLICT listing the ids, and nothing is planned', () => {
      const log = aLogWith(9, 2, { eventIds: { x: 5 } });
      const plan = planned(log, anAppend({ events: [aMessage('x', 'x'), aMessage('new', 'new')] }));
      expect(refusal(plan.outcomes[0])).toMatchObject({ code: 'CONFLICT', details: { eventIds: ['x', 'new'] } });
      expectNothingPlanned(plan, log);
    });

    it('given a stored id and a request that brings it with an event without an id, then it is refused: not every event is a repeat', () => {
      const plan = planned(aLogWith(9, 2, { eventIds: { x: 5 } }), anAppend({ events: [aMessage('x', 'x'), aMessage('generated')] }));
      expect(refusal(plan.outcomes[0]).code).toBe('CONFLICT');
    });

    it('given both ids stored but not next to each other, when a request brings both, then it is refused with CONFLICT', () => {
      const plan = planned(aLogWith(9, 2, { eventIds: { x: 5, y: 8 } }), anAppend({ events: [aMessage('x', 'x'), aMessage('y', 'y')] }));
      expect(refusal(plan.outcomes[0]).code).toBe('CONFLICT');
    });

    it('given an id appended earlier in the same group, when a later request brings it again, then it is a duplicate of that position', () => {
      const plan = planned(emptyLog, anAppend({ events: [aMessage('x', 'x')] }), anAppend({ events: [aMessage('x', 'x')] }));
      expect(plan.outcomes[1]).toEqual({ kind: 'duplicate', firstPosition: 1, lastPosition: 1 });
    });
  });

  describe('preconditions', () => {
    it('given a group whose first request failed its precondition, when planned, then that one is refused with its error, nothing of it is written, and the next takes position 1', () => {
      const requests = [anAppend({ idempotencyKey: 'k-refused' }), anAppend({ streamId: otherStream })];
      const plan = planAppends({ ...inputFor(emptyLog, requests), refusals: [new ForbiddenError('You are suspended'), undefined] });
      expect(refusal(plan.outcomes[0])).toMatchObject({ code: 'FORBIDDEN', message: 'You are suspended' });
      expect(appended(plan.outcomes[1]).events.map((e) => [e.position, e.streamId])).toEqual([[1, otherStream]]);
      expect(plan.keys).toEqual([]);
    });

    it('given a retry under a stored idempotency key whose precondition now fails, when planned, then it is refused, not answered as a duplicate', () => {
      const log = aLogWith(3, 1, { keys: { 'k-1': { requestHash: 'h', firstPosition: 3, lastPosition: 3 } } });
      const plan = planAppends({ ...inputFor(log, [anAppend({ idempotencyKey: 'k-1', requestHash: 'h' })]), refusals: [new ForbiddenError('This thread is locked')] });
      expect(refusal(plan.outcomes[0]).code).toBe('FORBIDDEN');
      expectNothingPlanned(plan, log);
    });
  });

  describe('expected version', () => {
    const cases: ReadonlyArray<[string, number, AppendRequest['expectedVersion'], 'appended' | 'refused']> = [
      ['no stream', 0, 'no_stream', 'appended'],
      ['a stream at version 2', 2, 'no_stream', 'refused'],
      ['no stream', 0, 'stream_exists', 'refused'],
      ['a stream at version 2', 2, 'stream_exists', 'appended'],
      ['a stream at version 2', 2, 2, 'appended'],
      ['a stream at version 2', 2, 1, 'refused'],
      ['a stream at version 2', 2, 3, 'refused'],
      ['no stream', 0, 0, 'appended'],
      ['no stream', 0, 'any', 'appended'],
      ['a stream at version 2', 2, 'any', 'appended'],
      ['a stream at version 2', 2, undefined, 'appended'],
    ];

    for (const [state, version, expected, kind] of cases) {
      const then = kind === 'appended' ? 'it is appended' : 'it is refused with CONFLICT and nothing is planned';
      it(`given ${state}, when a request expects ${String(expected ?? 'nothing (any)')}, then ${then}`, () => {
        const log = version === 0 ? { head: { position: 5, hash: 'a'.repeat(64) } } : aLogWith(5, version);
        const plan = planned(log, anAppend(expected === undefined ? {} : { expectedVersion: expected }));
        expect(plan.outcomes[0]?.kind).toBe(kind);
        if (kind === 'refused') {
          expect(refusal(plan.outcomes[0])).toMatchObject({ code: 'CONFLICT', details: { streamId: stream, expectedVersion: expected, actualVersion: version } });
          expectNothingPlanned(plan, log);
        } else {
          expect(appended(plan.outcomes[0]).streamVersion).toBe(version + 1);
        }
      });
    }

    it('given a stream created earlier in the same group, when a later request expects no_stream, then it is refused: the group sees its own appends', () => {
      const plan = planned(emptyLog, anAppend({ expectedVersion: 'no_stream' }), anAppend({ expectedVersion: 'no_stream' }));
      expect(plan.outcomes.map((o) => o.kind)).toEqual(['appended', 'refused']);
      expect(refusal(plan.outcomes[1])).toMatchObject({ details: { actualVersion: 1 } });
    });
  });

  describe('shape', () => {
    const refusals: ReadonlyArray<[string, Partial<AppendRequest>]> = [
      ['no events', { events: [] }],
      ['an empty stream id', { streamId: '' }],
      ['a stream id of 129 characters', { streamId: 's'.repeat(129) }],
      ['an empty idempotency key', { idempotencyKey: '' }],
      [`an idempotency key of ${MAX_IDEMPOTENCY_KEY_LENGTH + 1} characters`, { idempotencyKey: 'k'.repeat(MAX_IDEMPOTENCY_KEY_LENGTH + 1) }],
    ];

    for (const [what, overrides] of refusals) {
      it(`given a request with ${what}, when it is planned, then it is refused with BAD_USER_INPUT and nothing is planned`, () => {
        const plan = planned(emptyLog, anAppend(overrides));
        expect(refusal(plan.outcomes[0]).code).toBe('BAD_USER_INPUT');
        expectNothingPlanned(plan);
      });
    }

    it(`given a stream id of 128 characters and a key of ${MAX_IDEMPOTENCY_KEY_LENGTH}, when it is planned, then it is appended: the limits are inclusive`, () => {
      const plan = planned(emptyLog, anAppend({ streamId: 's'.repeat(128), idempotencyKey: 'k'.repeat(MAX_IDEMPOTENCY_KEY_LENGTH) }));
      expect(plan.outcomes[0]?.kind).toBe('appended');
    });

    it('given a malformed request whose key is stored, when it is planned, then the shape is refused first', () => {
      const plan = planned(aLogWith(3, 1, { keys: { k: { requestHash: 'h', firstPosition: 1, lastPosition: 1 } } }), anAppend({ idempotencyKey: 'k', events: [] }));
      expect(refusal(plan.outcomes[0]).code).toBe('BAD_USER_INPUT');
    });
  });

  describe('erasable content', () => {
    const salt = '00000000000000000000000000000001';

    it('given an event with erasable fields, when it is planned, then its data keeps a salted digest in their place and the content goes beside it', () => {
      const plan = planned(emptyLog, anAppend({ events: [anErasableMessage('m1', 'secret text')] }));
      const [event] = appended(plan.outcomes[0]).events;
      const contentJson = `{"fields":{"body":"secret text"},"salt":"${salt}"}`;
      expect(event!.data).toEqual({ messageId: 'm1', format: 'plain', erasable: { key: 'message:m1', fields: ['body'], digest: contentDigest(contentJson) } });
      expect(event!.content).toEqual({ fields: { body: 'secret text' }, salt });
      expect(plan.rows[0]).toMatchObject({ content: contentJson, erasure_key: 'message:m1' });
      expect(String(plan.rows[0]!.data)).not.toContain('secret text');
      // The chain covers the stored data, by the unchanged rule.
      const { content: _content, ...hashed } = event!;
      expect(chainHash(GENESIS_HASH, withoutHash(hashed))).toBe(event!.hash);
    });

    it('given an event without erasable fields, when it is planned, then it is stored as before, with no content and no key', () => {
      const plan = planned(emptyLog, anAppend());
      expect(appended(plan.outcomes[0]).events[0]).not.toHaveProperty('content');
      expect(plan.rows[0]).toMatchObject({ content: null, erasure_key: null });
      expect(plan.erasures).toEqual([]);
    });

    it('given a deletion, when it is planned, then it lists the erasure of its key at its own position', () => {
      const plan = planned(aLogWith(5, 2), anAppend({ events: [aDeletion('m1')] }));
      expect(plan.erasures).toEqual([{ key: 'message:m1', position: 6 }]);
    });

    it('given a key already erased, when new content under it or a second erasure of it is planned, then each is refused NOT_FOUND and nothing is planned', () => {
      const log = aLogWith(5, 2);
      const input = (request: AppendRequest) => ({ ...inputFor(log, [request]), erasedKeys: new Set(['message:m1']) });
      for (const request of [anAppend({ events: [anErasableMessage('m1', 'edit')] }), anAppend({ events: [aDeletion('m1')] })]) {
        const plan = planAppends(input(request));
        expect(refusal(plan.outcomes[0]).code).toBe('NOT_FOUND');
        expectNothingPlanned(plan, log);
        expect(plan.erasures).toEqual([]);
      }
    });

    it('given a deletion and then an edit of the same message in one group, when planned, then the edit is refused NOT_FOUND and the deletion stands', () => {
      const plan = planned(aLogWith(5, 2), anAppend({ events: [aDeletion('m1')] }), anAppend({ events: [anErasableMessage('m1', 'late')] }));
      expect(plan.outcomes.map((o) => o.kind)).toEqual(['appended', 'refused']);
      expect(refusal(plan.outcomes[1]).code).toBe('NOT_FOUND');
      expect(plan.erasures).toEqual([{ key: 'message:m1', position: 6 }]);
    });

    it('given one request that erases a key and then writes under it, when planned, then it is refused; the other way round it appends', () => {
      expect(refusal(planned(emptyLog, anAppend({ events: [aDeletion('m1'), anErasableMessage('m1', 'x')] })).outcomes[0]).code).toBe('NOT_FOUND');
      const plan = planned(emptyLog, anAppend({ events: [anErasableMessage('m1', 'x'), aDeletion('m1')] }));
      expect(plan.outcomes[0]?.kind).toBe('appended');
      expect(plan.erasures).toEqual([{ key: 'message:m1', position: 2 }]);
    });

    it("given a group that posts with an idempotency key and deletes that message, when planned, then the key's request hash is forgotten", () => {
      const plan = planned(emptyLog, anAppend({ events: [anErasableMessage('m1', 'x')], idempotencyKey: 'k1', requestHash: 'h1' }), anAppend({ events: [aDeletion('m1')] }));
      expect(plan.keys).toEqual([{ key: 'k1', requestHash: ERASED_REQUEST_HASH, firstPosition: 1, lastPosition: 1 }]);
    });

    it('given a stored key whose events were erased, when a retry with a different request hash comes, then it is a duplicate, not a conflict', () => {
      const log = aLogWith(5, 2, { keys: { k1: { requestHash: ERASED_REQUEST_HASH, firstPosition: 3, lastPosition: 3 } } });
      expect(planned(log, anAppend({ idempotencyKey: 'k1', requestHash: 'h-original' })).outcomes[0]).toEqual({ kind: 'duplicate', firstPosition: 3, lastPosition: 3 });
    });

    const malformed: ReadonlyArray<[string, NewEvent]> = [
      ['an erasure key of 129 characters', { ...anErasableMessage('m1', 'x'), erasable: { key: 'k'.repeat(129), fields: ['body'] } }],
      ['an erasure key that is not printable ASCII', { ...anErasableMessage('m1', 'x'), erasable: { key: 'message:é', fields: ['body'] } }],
      ['an erasable field the data lacks', { ...anErasableMessage('m1', 'x'), erasable: { key: 'message:m1', fields: ['title'] } }],
      ['data that already holds a field named erasable', { ...anErasableMessage('m1', 'x'), data: { body: 'x', erasable: 1 } }],
      ['an erases that is not a string', { type: 'MessageDeleted', data: { erases: 7 } }],
    ];
    for (const [what, event] of malformed) {
      it(`given ${what}, when it is planned, then it is refused BAD_USER_INPUT`, () => {
        const plan = planned(emptyLog, anAppend({ events: [event] }));
        expect(refusal(plan.outcomes[0]).code).toBe('BAD_USER_INPUT');
        expectNothingPlanned(plan);
      });
    }
  });
});
