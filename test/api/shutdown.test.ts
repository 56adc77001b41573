/** The server as an operator runs it: a process that stops cleanly on SIGTERM and loses nothing it acknowledged. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openThrds } from '../../src/openThrds.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { relaxedProtectionEnv } from '../support/protection.ts';

const PORT = 20000 + Math.floor(Math.random() * 20000);

describe('the server process', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
  });
  afterAll(async () => {
    await database.drop();
  });

  it('answers /healthz, then on SIGTERM finishes in-flight appends, closes sockets and exits 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      env: { ...process.env, ...relaxedProtectionEnv(), PORT: String(PORT), HOST: '127.0.0.1', DATABASE_URL: database.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const base = `http://127.0.0.1:${PORT}`;
    for (let i = 0; ; i += 1) {
      const ok = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
      if (ok) break;
      if (i > 300) throw new Error(`server did not start: ${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const gql = async (query: string, token?: string) =>
      (await (await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query }),
      })).json()) as { data?: any };
    const token = (await gql('mutation { register(input: { username: "operator", password: "password1", displayName: "Op" }) { token } }')).data.register.token;
    const threadId = (await gql('mutation { createThread(input: { title: "Before shutdown" }) { thread { id } } }', token)).data.createThread.thread.id;

    const posts = Array.from({ length: 40 }, (_, i) =>
      gql(`mutation { postMessage(input: { threadId: "${threadId}", body: "m${i}" }) { message { id } } }`, token).then(
        (r) => (r.data?.postMessage?.message.id as string | undefined) ?? null,
        () => null,
      ),
    );
    await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code, output).toBe(0);
    const acknowledged = (await Promise.all(posts)).filter((id): id is string => id !== null);

    const thrds = await openThrds({ databaseUrl: database.url });
    try {
      const rows = await thrds.db.query<{ id: string }>('SELECT id FROM messages WHERE thread_id = ?', [threadId]);
      const stored = new Set(rows.map((r) => r.id));
      for (const id of acknowledged) expect(stored.has(id)).toBe(true);
    } finally {
      await thrds.close();
    }
  });
});
