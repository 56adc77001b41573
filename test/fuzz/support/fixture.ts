/**
 * What the document fuzz reads: one user, one thread of messages (some
 * replies), written through the API before the run's log head is taken,
 * so every write after it is the fuzz's fault.
 */
import { graphqlClient } from '../../support/graphqlClient.ts';
import type { Fixture } from './documentRun.ts';
import type { FuzzServer } from './fuzzServer.ts';

export async function seedFixture(server: FuzzServer, messages = 20): Promise<Fixture> {
  const { ok: gql } = graphqlClient(`${server.baseUrl}/graphql`);
  const { register } = await gql<{ register: { token: string } }>('mutation ($i: RegisterInput!) { register(input: $i) { token } }', {
    i: { username: 'fuzz_owner', password: 'correct horse battery', displayName: 'Fuzz Owner' },
  });
  const { token } = register;
  const { createThread } = await gql<{ createThread: { thread: { id: string } } }>('mutation { createThread(input: { title: "Fuzzed" }) { thread { id } } }', {}, token);
  const threadId = createThread.thread.id;
  let messageId = '';
  let position = '';
  for (let i = 0; i < messages; i++) {
    const { postMessage } = await gql<{ postMessage: { position: string; message: { id: string } } }>(
      'mutation ($i: PostMessageInput!) { postMessage(input: $i) { position message { id } } }',
      { i: { threadId, body: `message ${i} ${'é😀 '.repeat(i)}`, ...(messageId && i % 3 === 0 ? { replyToId: messageId } : {}) } },
      token,
    );
    messageId = postMessage.message.id;
    position = postMessage.position;
  }
  return { threadId, messageId, position, token };
}
