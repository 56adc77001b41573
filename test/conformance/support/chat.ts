/**
 * What the conformance tests share: the README's operations (with variables
 * where the README writes "…"), a thread with messages to subscribe to, and
 * counting what a subscriber received.
 */
import type { TestServer } from '../../support/server.ts';

/** The README's operations, each object selecting its `id` so a normalized cache can key it. */
export const README = {
  register: `mutation Register($username: String!, $password: String!, $displayName: String!) {
    register(input: { username: $username, password: $password, displayName: $displayName }) { token user { id } }
  }`,
  createThread: `mutation CreateThread($title: String!, $idempotencyKey: String) {
    createThread(input: { title: $title, idempotencyKey: $idempotencyKey }) { position thread { id } }
  }`,
  postMessage: `mutation PostMessage($threadId: ID!, $body: String!, $idempotencyKey: String) {
    postMessage(input: { threadId: $threadId, body: $body, idempotencyKey: $idempotencyKey }) { position message { id postedAt } }
  }`,
  threads: `query Threads {
    threads(first: 20) { edges { cursor node { id title messageCount lastActivityAt position } } pageInfo { hasNextPage endCursor } }
  }`,
  thread: `query Thread($id: ID!) {
    thread(id: $id) { id title position createdBy { id displayName }
      messages(last: 50) { edges { node { id body postedAt author { id displayName } replyTo { id } } }
                           pageInfo { hasPreviousPage startCursor } } }
  }`,
  threadEvents: `subscription ThreadEvents($threadId: ID!, $after: Position) {
    threadEvents(threadId: $threadId, after: $after) {
      ... on MessagePosted { id position message { id body author { id displayName } } }
      ... on ThreadCreated { id position thread { id title } }
      ... on ThreadRenamed { id position previousTitle title }
    }
  }`,
} as const;

/** A thread to subscribe to: who made it, where it starts in the log, and its messages' positions. */
export interface SeededThread {
  readonly token: string;
  readonly threadId: string;
  /** The position of its ThreadCreated: subscribing after it replays every message. */
  readonly createdAt: string;
  readonly messages: readonly string[];
}

export async function seedThread(server: TestServer, username: string, messages: number): Promise<SeededThread> {
  const registered = await server.ok<{ register: { token: string } }>(README.register, { username, password: 'correct horse', displayName: username });
  const { token } = registered.register;
  const created = await server.ok<{ createThread: { position: string; thread: { id: string } } }>(README.createThread, { title: `${username}'s thread` }, token);
  const thread = { token, threadId: created.createThread.thread.id, createdAt: created.createThread.position, messages: [] };
  return { ...thread, messages: await postMessages(server, thread, messages) };
}

/** Posts `count` messages one after another; their positions, in order. */
export async function postMessages(server: TestServer, thread: Pick<SeededThread, 'token' | 'threadId'>, count: number): Promise<string[]> {
  const positions: string[] = [];
  for (let i = 0; i < count; i++) {
    const posted = await server.ok<{ postMessage: { position: string } }>(README.postMessage, { threadId: thread.threadId, body: `message ${i + 1}` }, thread.token);
    positions.push(posted.postMessage.position);
  }
  return positions;
}

/** What a subscriber that stalled received, and the errors its client got (for a wait's message). */
export function receivedWithErrors(positions: readonly string[], errors: readonly unknown[]): string {
  const named = errors.map((error) => (error instanceof Error ? error.message : JSON.stringify(error)));
  return `${positions.join(',')}${named.length > 0 ? `; errors: ${named.join(' | ')}` : ''}`;
}

/** How many positions arrived more than once. */
export function duplicates(positions: readonly string[]): number {
  return positions.length - new Set(positions).size;
}

/** The `position` of a `threadEvents` result. */
export function eventPosition(result: { readonly data?: unknown }): string {
  const position = (result.data as { threadEvents?: { position?: unknown } } | null | undefined)?.threadEvents?.position;
  if (typeof position !== 'string') throw new Error(`a threadEvents result without a position: ${JSON.stringify(result)}`);
  return position;
}
