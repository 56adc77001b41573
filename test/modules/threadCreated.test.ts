/** ThreadCreated: its rule and its step in the threads read model, as given/when/then. */
import { describe, expect, it } from 'vitest';
import { decideCreateThread } from '../../src/modules/threadCreated.ts';
import { evolveThreads } from '../../src/projections/threadsProjection.ts';
import { ana, recorded, threadId } from './given.ts';

describe('decideCreateThread', () => {
  it('given a title, when ana creates a thread, then one ThreadCreated opens a new stream with the trimmed title', () => {
    expect(decideCreateThread({ title: '  Lunch?  ' }, ana, threadId)).toMatchObject({
      streamId: `thread-${threadId}`,
      expectedVersion: 'no_stream',
      events: [{ type: 'ThreadCreated', schemaVersion: 1, data: { threadId, title: 'Lunch?' } }],
      metadata: { actorId: ana.userId, correlationId: ana.correlationId, causationId: null },
    });
  });

  it('given a blank, an over-long or a bidi-spoofed title, when creating, then it is BAD_USER_INPUT', () => {
    for (const title of ['   ', 'x'.repeat(201), 'evil\u202Eelif']) {
      expect(() => decideCreateThread({ title }, ana, threadId)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    }
  });

  it('given an idempotency key, when creating, then the key is scoped to the user and fingerprints the title', () => {
    const once = decideCreateThread({ title: 'A', idempotencyKey: 'k' }, ana, threadId);
    const again = decideCreateThread({ title: 'A', idempotencyKey: 'k' }, ana, 'e0000000-0000-4000-8000-00000000000e');
    const different = decideCreateThread({ title: 'B', idempotencyKey: 'k' }, ana, threadId);
    expect(once.idempotencyKey).toBe(`${ana.userId}:k`);
    expect(again.requestHash).toBe(once.requestHash);
    expect(different.requestHash).not.toBe(once.requestHash);
  });
});

describe('the threads read model, evolved by ThreadCreated', () => {
  it('given a ThreadCreated, when evolved, then a row opens with no messages, created and active when recorded, by its actor', () => {
    const event = recorded('ThreadCreated', { threadId, title: 'Lunch?' });
    expect(evolveThreads([event]).created.get(threadId)).toEqual({
      id: threadId,
      title: 'Lunch?',
      createdBy: ana.userId,
      createdAt: event.recordedAt,
      messageCount: 0,
      lastActivityAt: event.recordedAt,
      position: event.position,
      locked: false,
    });
  });

  it('given an event of a type no module knows, when evolved, then the read model is left alone', () => {
    const changes = evolveThreads([recorded('SomethingNew', { threadId })]);
    expect(changes.created.size + changes.patched.size).toBe(0);
  });
});
