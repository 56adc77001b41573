/**
 * Load for the fault tests: writers posting messages with unique idempotency
 * keys (the body is the key, so the log can be checked against what clients
 * were told), a reader, and the retry of every failed post with its own key.
 */
import { randomBytes } from 'node:crypto';
import { graphql, type Outcome } from './faultClient.ts';

export const POST_MESSAGE = `mutation ($t: ID!, $b: String!, $key: String) {
  postMessage(input: { threadId: $t, body: $b, idempotencyKey: $key }) { position message { id body } }
}`;
const REGISTER = `mutation ($u: String!, $p: String!, $d: String!) { register(input: { username: $u, password: $p, displayName: $d }) { token } }`;
const CREATE_THREAD = `mutation ($title: String!, $key: String) { createThread(input: { title: $title, idempotencyKey: $key }) { thread { id } } }`;
export const READ_THREAD = `query ($t: ID!) { thread(id: $t) { id messageCount messages(last: 5) { edges { node { id body } } } } }`;

export interface Author {
  readonly token: string;
  readonly threadId: string;
}

/** A user and a thread to post to (while the database is healthy). */
export async function newAuthor(base: string): Promise<Author> {
  const username = `w_${randomBytes(5).toString('hex')}`;
  const registered = await graphql(base, REGISTER, { u: username, p: 'correct horse', d: username });
  const token = (registered.data?.register as { token?: string } | undefined)?.token;
  if (!token) throw new Error(`register failed: ${JSON.stringify(registered)}`);
  const created = await graphql(base, CREATE_THREAD, { title: 'faults', key: `thread-${username}` }, { token });
  const threadId = (created.data?.createThread as { thread?: { id?: string } } | undefined)?.thread?.id;
  if (!threadId) throw new Error(`createThread failed: ${JSON.stringify(created)}`);
  return { token, threadId };
}

export function postOnce(base: string, author: Author, key: string, timeoutMs?: number): Promise<Outcome> {
  return graphql(base, POST_MESSAGE, { t: author.threadId, b: key, key }, { token: author.token, key, ...(timeoutMs ? { timeoutMs } : {}) });
}

export interface Load {
  /** Every post so far, in completion order. */
  readonly posts: Outcome[];
  readonly reads: Outcome[];
  /** Stops sending and waits for the requests in flight. */
  stop(): Promise<void>;
}

export interface LoadOptions {
  readonly writers: number;
  /** Keys are `<prefix>-<writer>-<n>`; unique per run. */
  readonly prefix: string;
  /** Pause between one writer's posts (keeps two shared cores usable). Default 50 ms. */
  readonly pauseMs?: number;
  /** Also run one reader of the thread. */
  readonly reader?: boolean;
  readonly timeoutMs?: number;
}

export function startLoad(base: string, author: Author, options: LoadOptions): Load {
  const posts: Outcome[] = [];
  const reads: Outcome[] = [];
  let running = true;
  const pause = () => new Promise((r) => setTimeout(r, options.pauseMs ?? 50)); // pacing the load, not waiting for something
  const loops = Array.from({ length: options.writers }, async (_, w) => {
    for (let n = 0; running; n += 1) {
      posts.push(await postOnce(base, author, `${options.prefix}-${w}-${n}`, options.timeoutMs));
      await pause();
    }
  });
  if (options.reader) {
    loops.push(
      (async () => {
        for (let n = 0; running; n += 1) {
          reads.push(await graphql(base, READ_THREAD, { t: author.threadId }, { token: author.token, key: `read-${n}`, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) }));
          await pause();
        }
      })(),
    );
  }
  return {
    posts,
    reads,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

/**
 * Retries every key that was never acknowledged, with the same key, until it
 * is (or `attempts` run out). Returns the keys still not acknowledged.
 */
export async function retryFailed(base: string, author: Author, posts: readonly Outcome[], attempts = 10): Promise<{ retried: number; retries: Outcome[]; unacknowledged: string[] }> {
  const acknowledged = new Set(posts.filter((p) => p.ok).map((p) => p.key));
  const pending = [...new Set(posts.filter((p) => !p.ok).map((p) => p.key))].filter((k) => !acknowledged.has(k));
  const retries: Outcome[] = [];
  let left = pending;
  for (let attempt = 0; attempt < attempts && left.length > 0; attempt += 1) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, 500)); // a client's back-off between retries
    const next: string[] = [];
    // A few at a time: the retry is a client's, not a flood.
    for (let i = 0; i < left.length; i += 8) {
      const batch = await Promise.all(left.slice(i, i + 8).map((key) => postOnce(base, author, key)));
      for (const outcome of batch) {
        retries.push(outcome);
        if (!outcome.ok) next.push(outcome.key);
      }
    }
    left = next;
  }
  return { retried: pending.length, retries, unacknowledged: left };
}

/** Keys acknowledged at least once (the first try or a retry). */
export function acknowledgedKeys(...groups: ReadonlyArray<readonly Outcome[]>): Set<string> {
  return new Set(groups.flat().filter((o) => o.ok).map((o) => o.key));
}
