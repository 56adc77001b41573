/**
 * The log as GraphQL: every known event type resolves to its own type (the
 * map is derived from the event modules), a type no module knows to
 * OtherEvent, and `events(types:)` refuses names no module knows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openThrds } from '../../src/openThrds.ts';
import { knownEventTypes, moduleOf } from '../../src/modules/index.ts';
import { CREATE_THREAD, signUp, startTestServer, type TestServer } from '../support/server.ts';

describe('the Event interface', () => {
  let server: TestServer;
  let token: string;

  beforeAll(async () => {
    server = await startTestServer('sqlite');
    ({ token } = await signUp(server, 'eve'));
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('lists every known event type as a possible type of Event, and the thread ones (with BotDraft) in ThreadEvent', async () => {
    // One __type per operation (the operation limits).
    const possibleTypes = async (name: string) =>
      ((await server.ok('query ($name: String!) { __type(name: $name) { possibleTypes { name } } }', { name })).__type.possibleTypes as Array<{ name: string }>).map((t) => t.name).sort();
    expect(await possibleTypes('Event')).toEqual([...knownEventTypes, 'OtherEvent'].sort());
    // With BotDraft: a bot's reply while it is written, delivered on threadEvents but never in the log.
    expect(await possibleTypes('ThreadEvent')).toEqual([...knownEventTypes.filter((type) => moduleOf(type)?.stream === 'thread'), 'BotDraft'].sort());
    expect(await possibleTypes('ThreadEvent')).toEqual(expect.arrayContaining(['MessagePosted', 'MessageEdited', 'MessageDeleted', 'ReactionAdded', 'ThreadLockChanged']));
  });

  it('resolves an event of a type no module knows as OtherEvent, with its type and data, and every event has an id', async () => {
    const thrds = await openThrds({ databaseUrl: server.database.url });
    try {
      await thrds.store.append({
        streamId: 'future-1',
        events: [{ type: 'SomethingFromTheFuture', data: { answer: 42 } }],
        metadata: { actorId: null, correlationId: 'future', causationId: null },
      });
    } finally {
      await thrds.close();
    }
    const { events } = await server.ok('{ events(streamId: "future-1") { __typename id eventId type data } }');
    expect(events).toEqual([{ __typename: 'OtherEvent', id: events[0].eventId, eventId: expect.any(String), type: 'SomethingFromTheFuture', data: { answer: 42 } }]);
  });

  it('filters by known type names, and refuses a name no module knows with BAD_USER_INPUT', async () => {
    await server.ok(CREATE_THREAD, { title: 'Typed' }, token);
    const typed = await server.ok('{ events(types: ["ThreadCreated"]) { __typename } }');
    expect(new Set(typed.events.map((e: { __typename: string }) => e.__typename))).toEqual(new Set(['ThreadCreated']));
    const typo = await server.gql('{ events(types: ["ThreadCreated", "MesagePosted"]) { position } }');
    expect(typo.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(typo.errors?.[0]?.message).toContain('"MesagePosted"');
  });
});
