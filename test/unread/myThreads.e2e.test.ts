/**
 * Subscription.myThreads over real sockets on every store, over SSE and over
 * the WebSocket gateway: a post reaches two different viewers, each with
 * their own unreadCount; a markRead on one device reaches the same user's
 * other subscription and nobody else's; anonymous is UNAUTHENTICATED.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeKinds } from '../support/databases.ts';
import { CREATE_THREAD, POST, signUp, startTestServer, type TestServer } from '../support/server.ts';
import { waitFor } from '../support/waitFor.ts';
import { MARK_READ, myThreadsOverSse, myThreadsOverWebSocket, subscribed, type Live } from './support/unreadApi.ts';

describe.each(await storeKinds())('myThreads on %s', (kind) => {
  let server: TestServer;
  let ana: { token: string; id: string };
  let bob: { token: string; id: string };
  const open: Array<{ stop(): void; dispose?(): void }> = [];

  beforeAll(async () => {
    server = await startTestServer(kind);
    ana = await signUp(server, 'ana');
    bob = await signUp(server, 'bob');
  });
  afterAll(async () => {
    for (const live of open) {
      live.stop();
      live.dispose?.();
    }
    await server?.dispose();
  });

  const transports = {
    SSE: (token?: string) => myThreadsOverSse(server, token),
    WebSocket: (token?: string) => myThreadsOverWebSocket(server, token),
  };

  describe.each(Object.keys(transports) as Array<keyof typeof transports>)('over %s', (transport) => {
    const watch = (token?: string): Live => {
      const live = transports[transport](token);
      open.push(live);
      return live;
    };

    it("delivers a post to two viewers, each with their own unreadCount, and a markRead to the reader's other device only", async () => {
      const baseline = await server.health();
      const anaPhone = watch(ana.token);
      const anaLaptop = watch(ana.token);
      const bobs = watch(bob.token);
      await subscribed(server, baseline.subscriptions + baseline.sseSubscriptions + 3);

      const { thread } = (await server.ok(CREATE_THREAD, { title: `Live ${transport}` }, bob.token)).createThread as { thread: { id: string } };
      const created = await anaPhone.until('THREAD_CREATED', (u) => u.thread.id === thread.id && u.reason === 'THREAD_CREATED');
      expect(created.thread.unreadCount).toBe(0);

      const { position } = (await server.ok(POST, { t: thread.id, b: 'ping @ana' }, bob.token)).postMessage as { position: string };
      const isPost = (u: { reason: string; position: string | null }) => u.reason === 'MESSAGE_POSTED' && u.position === position;
      expect((await anaPhone.until('the post on ana’s phone', isPost)).thread).toMatchObject({ unreadCount: 1, unreadMentionCount: 1, lastReadPosition: null });
      expect((await anaLaptop.until('the post on ana’s laptop', isPost)).thread).toMatchObject({ unreadCount: 1 });
      // Bob wrote it: nothing unread for him.
      expect((await bobs.until('the post for bob', isPost)).thread).toMatchObject({ unreadCount: 0, unreadMentionCount: 0 });

      await server.ok(MARK_READ, { t: thread.id, p: position }, ana.token);
      const read = await anaLaptop.until('the READ on ana’s laptop', (u) => u.reason === 'READ' && u.thread.id === thread.id);
      expect(read).toMatchObject({ position, thread: { unreadCount: 0, unreadMentionCount: 0, lastReadPosition: position } });
      await anaPhone.until('the READ on ana’s phone', (u) => u.reason === 'READ' && u.thread.id === thread.id);

      // Bob's next post arrives after ana's READ would have: he never got one.
      const next = (await server.ok(POST, { t: thread.id, b: 'again' }, bob.token)).postMessage as { position: string };
      await bobs.until('the second post for bob', (u) => u.position === next.position);
      expect(bobs.items.filter((u) => u.reason === 'READ')).toEqual([]);
      expect((await anaPhone.until('the second post on ana’s phone', (u) => u.position === next.position)).thread.unreadCount).toBe(1);
    });

    // The sharing is the WebSocket gateway's: defined for it only (CI counts a skipped test as a failure).
    if (transport === 'WebSocket') it("executes a post once per viewer, however many subscriptions each viewer has (the gateway's viewer-scoped sharing)", async () => {
      const baseline = await server.health();
      const anas = [watch(ana.token), watch(ana.token), watch(ana.token)];
      const bobs = watch(bob.token);
      await subscribed(server, baseline.subscriptions + baseline.sseSubscriptions + 4);
      const { thread } = (await server.ok(CREATE_THREAD, { title: 'Shared' }, bob.token)).createThread as { thread: { id: string } };
      for (const live of [...anas, bobs]) await live.until('the thread created', (u) => u.thread.id === thread.id);

      const before = (await server.health()).sharedExecutions;
      const { position } = (await server.ok(POST, { t: thread.id, b: 'once per viewer' }, bob.token)).postMessage as { position: string };
      const received = await Promise.all([...anas, bobs].map((live) => live.until('the post', (u) => u.position === position)));
      expect(received.map((u) => u.thread.unreadCount)).toEqual([1, 1, 1, 0]);
      // The suite's earlier WebSocket subscriptions (ana's and bob's) are still open: they share the same two executions.
      const after = (await server.health()).sharedExecutions;
      expect(after - before).toBe(2);
    });

    it('refuses an anonymous subscriber with UNAUTHENTICATED', async () => {
      const anonymous = watch();
      const refusal = await waitFor(() => anonymous.errors[0], { what: 'the refusal of an anonymous myThreads' });
      expect(JSON.stringify(refusal)).toContain('UNAUTHENTICATED');
      expect(anonymous.items).toEqual([]);
    });
  });
});
