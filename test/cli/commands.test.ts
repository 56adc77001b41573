/** `thrds migrate`, `thrds stats` and the command's usage errors, through the real command. */
import { rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, storeKinds, type TestDatabase } from '../support/databases.ts';
import { openTestThrds, type TestThrds } from '../support/thrds.ts';
import { waitFor } from '../support/waitFor.ts';
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
      await waitFor(() => /listening on/.test(out), { what: 'serve to say "listening on"', timeoutMs: 20_000 });
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
    const stats = JSON.parse(run.stdout) as { projections: Array<{ name: string }> };
    // By name as the store sorts (MariaDB's ascii_general_ci puts `threads` before `thread_bots`, SQLite after): compared sorted here.
    stats.projections.sort((a, b) => (a.name < b.name ? -1 : 1));
    expect(stats).toEqual({
      head,
      events: 25,
      streams: 5,
      byType: [
        { type: 'MessagePosted', count: 20 },
        { type: 'ThreadCreated', count: 3 },
        { type: 'UserRegistered', count: 2 },
      ],
      projections: [
        { name: 'attachments', position: 25, lag: 0 },
        { name: 'bots', position: 25, lag: 0 },
        { name: 'message_mentions', position: 25, lag: 0 },
        { name: 'message_search', position: 25, lag: 0 },
        { name: 'messages', position: 20, lag: 5 },
        { name: 'reactions', position: 25, lag: 0 },
        { name: 'thread_bots', position: 25, lag: 0 },
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
    expect(run.stdout).toContain('usage: thrds [options] <command>');
    for (const name of ['serve', 'migrate', 'events', 'export', 'import', 'verify', 'rebuild', 'stats']) expect(run.stdout).toContain(`  ${name}`);
    expect(run.code).toBe(2);
  });

  it('refuses an unknown command, an unknown option and a bad position with exit 2', async () => {
    expect((await runThrds(['frobnicate'])).code).toBe(2);
    const option = await runThrds(['verify', '--bogus']);
    expect(option.stderr).toBe("thrds verify: unknown option --bogus\nRun 'thrds verify --help' for usage.\n");
    expect(option.code).toBe(2);
    const position = await runThrds(['events', '--after', 'ten']);
    expect(position.stderr).toContain('--after must be a position');
    expect(position.code).toBe(2);
  });

  it('serve that cannot start says why in one line: 3 for an unreachable database, 4 for a busy port', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as AddressInfo).port;
    try {
      const env = { env: { THRDS_SERVE_WEB: '0' } };
      const [taken, down] = await Promise.all([
        runThrds(['serve', '--port', String(port), '--host', '127.0.0.1', '--db', `sqlite:${join(tmpdir(), `thrds-serve-${port}.db`)}`], env),
        runThrds(['serve', '--port', '0', '--db', 'mysql://root@127.0.0.1:1/nowhere'], env),
      ]);
      expect(taken.stderr).toMatch(/^thrds serve: cannot start: .*EADDRINUSE.*\n$/);
      expect(taken.code).toBe(4);
      expect(down.stderr).toMatch(/^thrds serve: cannot start: .*ECONNREFUSED.*\(mysql:\/\/\*\*\*@127\.0\.0\.1:1\/nowhere\)\n$/);
      expect(down.code).toBe(3);
    } finally {
      busy.close();
      rmSync(join(tmpdir(), `thrds-serve-${port}.db`), { force: true });
      for (const suffix of ['-wal', '-shm']) rmSync(join(tmpdir(), `thrds-serve-${port}.db${suffix}`), { force: true });
    }
  });

  it('cannot open the store (exit 3, not the 1 of a failed check) for a database URL it cannot use or reach', async () => {
    const run = await runThrds(['verify', '--database-url', 'postgres://x/y']);
    expect(run.stderr).toBe('thrds verify: postgres://x/y: DATABASE_URL must start with sqlite: or mysql:// (got postgres:)\n');
    expect(run.code).toBe(3);
    const down = await runThrds(['stats', '--database-url', 'mysql://root@127.0.0.1:1/nowhere']);
    expect(down.stderr).toMatch(/^thrds stats: mysql:\/\/\*\*\*@127\.0\.0\.1:1\/nowhere: .*(ECONNREFUSED|unreachable)/);
    expect(down.code).toBe(3);
  });
});
