/**
 * The resume recipe itself (web/src/api/resume.ts), without a server: a
 * client that re-sends the payload it was given, as graphql-ws and
 * graphql-sse do on every retry, sends the newest position delivered.
 */
import { createClient as createSseClient } from 'graphql-sse';
import { describe, expect, it } from 'vitest';
import { advance, createResumeCursor, positionOf, resumingClient, withLiveAfter, type ResultSink, type SubscribePayload } from '../../web/src/api/resume.ts';

/** A stand-in for graphql-ws: `retry()` sends the payload again, as the real one does after a reconnect. */
function retryingClient() {
  const sent: string[] = [];
  let current: { payload: SubscribePayload; sink: ResultSink } | undefined;
  let unsubscribed = false;
  return {
    sent,
    get unsubscribed() {
      return unsubscribed;
    },
    deliver: (position: string) => current!.sink.next({ data: { threadEvents: { __typename: 'MessagePosted', position } } }),
    fail: (error: unknown) => current!.sink.error(error),
    retry: () => sent.push(JSON.stringify(current!.payload)),
    subscribe(payload: SubscribePayload, sink: ResultSink) {
      current = { payload, sink };
      sent.push(JSON.stringify(payload));
      return () => void (unsubscribed = true);
    },
  };
}

const sentAfter = (message: string) => (JSON.parse(message) as { variables: { after?: string } }).variables.after;

describe('the resume recipe', () => {
  it('given a subscription from position 5 that delivered 6 and 7, when the client retries, then it asks for the events after 7', () => {
    const client = retryingClient();
    const delivered: unknown[] = [];
    resumingClient(client).subscribe({ query: 'subscription', variables: { threadId: 't', after: '5' } }, { next: (value) => delivered.push(value), error: () => undefined, complete: () => undefined });
    client.deliver('6');
    client.deliver('7');
    client.retry();
    expect(client.sent.map(sentAfter)).toEqual(['5', '7']);
    expect(delivered).toHaveLength(2);
    expect((JSON.parse(client.sent[1]!) as { variables: unknown }).variables).toEqual({ threadId: 't', after: '7' });
  });

  it('given a live-only subscription (no after), when the client retries before any event, then it still sends no after', () => {
    const client = retryingClient();
    resumingClient(client).subscribe({ query: 'subscription', variables: { threadId: 't' } }, { next: () => undefined, error: () => undefined, complete: () => undefined });
    client.retry();
    expect(client.sent.map(sentAfter)).toEqual([undefined, undefined]);
  });

  it('never moves the cursor back: an older position, or a result without one, leaves it', () => {
    const cursor = createResumeCursor('10');
    expect(advance(cursor, '9')).toBe(false);
    expect(advance(cursor, '10')).toBe(false);
    expect(advance(cursor, '123456789012345678901')).toBe(true);
    expect(cursor.current).toBe('123456789012345678901');
    expect(JSON.stringify(withLiveAfter({ a: 1 }, cursor))).toBe('{"a":1,"after":"123456789012345678901"}');
  });

  it("reads a result's position from its root field, and nothing from errors or fields without one", () => {
    expect(positionOf({ data: { threadEvents: { position: '42' } } })).toBe('42');
    expect(positionOf({ data: { events: { __typename: 'OtherEvent', position: '7' } } })).toBe('7');
    expect(positionOf({ errors: [{ message: 'No thread' }] })).toBeNull();
    expect(positionOf({ data: { threadEvents: { __typename: 'MessagePosted' } } })).toBeNull();
    expect(positionOf(null)).toBeNull();
  });

  it('iterates through the resuming subscribe: values in order, then the error ends it and unsubscribes', async () => {
    const client = retryingClient();
    const iterator = (resumingClient(client) as unknown as { iterate(payload: SubscribePayload): AsyncIterableIterator<unknown> }).iterate({ query: 'subscription', variables: { after: '1' } });
    client.deliver('2');
    client.deliver('3');
    client.fail(new Error('closed'));
    const seen: unknown[] = [];
    await expect(
      (async () => {
        for await (const value of iterator) seen.push(positionOf(value));
      })(),
    ).rejects.toThrow('closed');
    expect(seen).toEqual(['2', '3']);
    expect(client.unsubscribed).toBe(true);
  });

  it('wraps a graphql-sse client as well as a graphql-ws one, keeping its type', () => {
    const client = resumingClient(createSseClient({ url: 'http://127.0.0.1:9/graphql' }));
    expect(typeof client.subscribe).toBe('function');
    expect(typeof client.iterate).toBe('function');
    client.dispose();
  });
});
