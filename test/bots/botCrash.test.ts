/**
 * Exactly one reply per call with real server processes (src/server.ts
 * started as an operator starts it, bots on, pointed at a loopback model):
 * a SIGKILL while the model streams, then a restart, gives one reply; two
 * instances on one database (a SQLite file or MariaDB) give one reply per call, and when the one that
 * runs the bot is SIGKILLed the other answers within twice the bot lease
 * (THRDS_BOT_LEASE_MS, shortened here to 3 s from its 15 s default), and
 * some slack for a busy machine.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { addBot } from '../../src/modules/botAdded.ts';
import { openThrds, type Thrds } from '../../src/openThrds.ts';
import { createServices } from '../../src/services.ts';
import { createTestDatabase, mariadbReachable, type StoreKind, type TestDatabase } from '../support/databases.ts';
import { graphqlClient } from '../support/graphqlClient.ts';
import { type LoopbackModel, startLoopbackModel } from '../support/loopbackModel.ts';
import { relaxedProtection } from '../support/protection.ts';
import { ServerProcess } from '../support/serverProcess.ts';
import { waitFor } from '../support/waitFor.ts';
import { testCard } from './support/testCard.ts';

const REGISTER = 'mutation ($u: String!) { register(input: { username: $u, password: "correct horse", displayName: "Ana" }) { token } }';
const CREATE_THREAD = 'mutation { createThread(input: { title: "Crash course" }) { thread { id } } }';
const POST = 'mutation ($t: ID!, $b: String!) { postMessage(input: { threadId: $t, body: $b }) { message { id } } }';
const LEASE_MS = 3000;

/** A database with a bot on it, a person's token and a thread; the test's own Thrds reads what the servers wrote. */
interface Scene {
  readonly database: TestDatabase;
  readonly thrds: Thrds;
  readonly botId: string;
  readonly model: LoopbackModel;
  readonly servers: ServerProcess[];
  start(): Promise<ServerProcess>;
  /** Registers Ana and opens a thread through `server`. */
  person(server: ServerProcess): Promise<{ token: string; threadId: string }>;
  post(server: ServerProcess, who: { token: string; threadId: string }, body: string): Promise<string>;
  repliesTo(messageId: string): Promise<string[]>;
  dispose(): Promise<void>;
}

async function scene(kind: StoreKind): Promise<Scene> {
  const database = await createTestDatabase(kind);
  const thrds = await openThrds({ databaseUrl: database.url });
  const services = createServices(thrds, relaxedProtection());
  const { bot } = await addBot(services, null, { card: testCard(), username: 'pip' });
  await Promise.all([services.presence.close(), services.typing.close(), services.threadUpdates.close(), services.botDrafts.close()]);
  const model = await startLoopbackModel();
  const servers: ServerProcess[] = [];
  return {
    database,
    thrds,
    botId: bot.id,
    model,
    servers,
    async start() {
      const server = await ServerProcess.start({
        databaseUrl: database.url,
        env: { THRDS_LLM_BASE_URL: model.url, THRDS_LLM_MODEL: 'loopback', THRDS_BOT_RETRY_BASE_MS: '100', THRDS_BOT_LEASE_MS: String(LEASE_MS), LOG_LEVEL: 'info' },
      });
      servers.push(server);
      return server;
    },
    async person(server) {
      const client = graphqlClient(`${server.base}/graphql`);
      const { register } = await client.ok<{ register: { token: string } }>(REGISTER, { u: `ana_${servers.length}_${Date.now() % 100000}` });
      const { createThread } = await client.ok<{ createThread: { thread: { id: string } } }>(CREATE_THREAD, {}, register.token);
      return { token: register.token, threadId: createThread.thread.id };
    },
    async post(server, who, body) {
      const { postMessage } = await graphqlClient(`${server.base}/graphql`).ok<{ postMessage: { message: { id: string } } }>(POST, { t: who.threadId, b: body }, who.token);
      return postMessage.message.id;
    },
    async repliesTo(messageId) {
      const rows = await thrds.db.query<{ body: string }>('SELECT body FROM messages WHERE reply_to_id = ? AND author_id = ? ORDER BY position', [messageId, bot.id]);
      return rows.map((r) => r.body);
    },
    async dispose() {
      await Promise.all(servers.map((s) => s.stop()));
      await model.close();
      await thrds.close();
      await database.drop();
    },
  };
}

const kinds: StoreKind[] = (await mariadbReachable()) ? ['sqlite', 'mariadb'] : ['sqlite'];

describe.each(kinds)('bots in server processes on %s', (kind) => {
  let current: Scene | undefined;
  afterEach(async () => {
    await current?.dispose();
    current = undefined;
  });

  it('a SIGKILL while the model streams, then a restart: exactly one reply, and the model asked again only once', { timeout: 120_000 }, async () => {
    const s = (current = await scene(kind));
    s.model.setMode({ kind: 'reply', text: 'A long and careful answer that takes its time to arrive.', chunkSize: 2, chunkDelayMs: 150 });
    const first = await s.start();
    await waitFor(() => first.linesMatching(/bot pip runs here/).length > 0, { what: 'the server to run the bot', timeoutMs: 20_000, seen: () => first.output(20) });
    const ana = await s.person(first);
    const call = await s.post(first, ana, '@pip what is the meaning of tea?');
    await waitFor(() => s.model.requests.length === 1, { what: 'the model to be asked', timeoutMs: 20_000 });
    // Mid-stream: some pieces are out, the reply is not.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(s.model.openResponses).toBe(1);
    first.signal('SIGKILL');
    await first.exited;
    expect(await s.repliesTo(call)).toEqual([]);

    s.model.setMode({ kind: 'reply', text: 'Warmth, mostly.' });
    const second = await s.start();
    // The dead process's lease runs out (LEASE_MS) before the new one takes the bot.
    await waitFor(async () => (await s.repliesTo(call)).length > 0, { what: 'the reply after the restart', timeoutMs: 45_000, intervalMs: 200, seen: () => second.output(20) });
    await s.post(second, ana, 'thanks!');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await s.repliesTo(call)).toEqual(['Warmth, mostly.']);
    expect(s.model.requests).toHaveLength(2);
  });

  it('two instances answer each call exactly once; when the one running the bot is SIGKILLed the other answers within twice the lease', { timeout: 120_000 }, async () => {
    const s = (current = await scene(kind));
    s.model.setMode({ kind: 'reply', text: 'Once and only once.', chunkSize: 4, chunkDelayMs: 10 });
    const [a, b] = await Promise.all([s.start(), s.start()]);
    const runs = (server: ServerProcess) => server.linesMatching(/bot pip runs here/).length > 0;
    await waitFor(() => runs(a!) || runs(b!), { what: 'one server to run the bot', timeoutMs: 20_000 });
    const ana = await s.person(a!);
    const calls: string[] = [];
    for (let i = 0; i < 4; i += 1) calls.push(await s.post(i % 2 ? a! : b!, ana, `@pip call number ${i}`));
    await waitFor(async () => (await Promise.all(calls.map((c) => s.repliesTo(c)))).every((r) => r.length > 0), { what: 'a reply to every call', timeoutMs: 20_000 });
    for (const call of calls) expect(await s.repliesTo(call)).toHaveLength(1);
    expect(runs(a!) && runs(b!)).toBe(false);

    const [holder, other] = runs(a!) ? [a!, b!] : [b!, a!];
    holder.signal('SIGKILL');
    const killedAt = performance.now();
    await holder.exited;
    const later = await s.post(other, ana, '@pip are you still there?');
    await waitFor(async () => (await s.repliesTo(later)).length > 0, { what: 'the other instance to answer', timeoutMs: 40_000, intervalMs: 200, seen: () => other.output(20) });
    expect(performance.now() - killedAt).toBeLessThan(2 * LEASE_MS + 10_000);
    expect(await s.repliesTo(later)).toHaveLength(1);
    for (const call of calls) expect(await s.repliesTo(call)).toHaveLength(1);
  });
});
