/** `thrds migrate`, `thrds stats` and the command's usage errors, through the real command. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, storeKinds, type TestDatabase } from '../support/databases.ts';
import { openTestThrds, type TestThrds } from '../support/thrds.ts';
import { seedChat } from './support/chatLog.ts';
import { runThrds, spawnThrds } from './support/runThrds.ts';

const kinds = await storeKinds();

describe.each(kinds)('thrds migrate and stats on %s', (kind) => {
  let fresh: TestDatabase;
  let t: TestThrds;
  beforeAll(async () => {
    fresh = await createTestDatabase(kind);
    t = await openTestThrds(kind);
    await seedChat(t.store, { users: 2, threads: 3, messages: 20 });
  });
  afterAll(async () => {
    await fresh.drop();
    await t.dispose();
  });

  it('migrate applies every migration once and then says the store is up to date', async () => {
    const first = await runThrds(['migrate', '--database-url', fresh.url]);
    expect(first.stdout).toMatch(/applied 001_event_log\n.*applied 002_read_models\n/);
    expect(first.code).toBe(0);
    const again = await runThrds(['migrate', '--database-url', fresh.url]);
    expect(again.stdout).toContain('up to date, no migrations to apply');
    expect(again.code).toBe(0);
  });

  it('serve runs the server on the store until SIGTERM', async () => {
    const child = spawnThrds(['serve', '--port', '0', '--host', '127.0.0.1', '--database-url', t.database.url], { env: { THRDS_SERVE_WEB: '0' } });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    try {
      for (let i = 0; i < 400 && !/listening on/.test(out); i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
      const port = Number(/localhost:(\d+)\//.exec(out)?.[1]);
      const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { status: string; position: string };
      expect(health).toMatchObject({ status: 'ok', position: '25' });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('stats gives events by type, streams, the head, and each checkpoint with its lag', async () => {
    await t.db.execute("UPDATE projection_checkpoints SET position = 20 WHERE name = 'messages'");
    const run = await runThrds(['stats', '--json', '--database-url', t.database.url]);
    expect(run.code).toBe(0);
    const head = await t.store.head();
    expect(JSON.parse(run.stdout)).toEqual({
      head,
      events: 25,
      streams: 5,
      byType: [
        { type: 'MessagePosted', count: 20 },
        { type: 'ThreadCreated', count: 3 },
        { type: 'UserRegistered', count: 2 },
      ],
      projections: [
        { name: 'messages', position: 20, lag: 5 },
        { name: 'threads', position: 25, lag: 0 },
        { name: 'users', position: 25, lag: 0 },
      ],
    });
    const text = await runThrds(['stats', '--database-url', t.database.url]);
    expect(text.stdout).toContain(`head       position 25, hash ${head.hash}`);
    expect(text.stdout).toMatch(/messages\s+at 20, lag 5/);
  });
});

describe('thrds usage', () => {
  it('lists the commands and exits 2 when given none', async () => {
    const run = await runThrds([]);
    expect(run.stdout).toContain('usage: thrds <command>');
    for (const name of ['serve', 'migrate', 'events', 'export', 'import', 'verify', 'rebuild', 'stats']) expect(run.stdout).toContain(`  ${name}`);
    expect(run.code).toBe(2);
  });

  it('refuses an unknown command, an unknown option and a bad position with exit 2', async () => {
    expect((await runThrds(['frobnicate'])).code).toBe(2);
    const option = await runThrds(['verify', '--bogus']);
    expect(option.stderr).toContain('thrds verify: unknown option --bogus');
    expect(option.code).toBe(2);
    const position = await runThrds(['events', '--after', 'ten']);
    expect(position.stderr).toContain('--after must be a position');
    expect(position.code).toBe(2);
  });

  it('fails with a clear message and exit 1 on a database URL it cannot use', async () => {
    const run = await runThrds(['verify', '--database-url', 'postgres://x/y']);
    expect(run.stderr).toBe('thrds verify: failed: DATABASE_URL must start with sqlite: or mysql:// (got postgres:)\n');
    expect(run.code).toBe(1);
    const down = await runThrds(['stats', '--database-url', 'mysql://root@127.0.0.1:1/nowhere']);
    expect(down.stderr).toMatch(/^thrds stats: failed: .*ECONNREFUSED/);
    expect(down.code).toBe(1);
  });
});
