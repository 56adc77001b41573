/**
 * `thrds events`: filters by position, stream and type; `--follow` tails
 * the log from another process with every event exactly once, in order,
 * while appends keep committing; and the stored form is printed unless
 * `--upcast` asks for today's shape.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentSchemaVersion } from '../../src/modules/index.ts';
import { storeKinds } from '../support/databases.ts';
import { openTestThrds, type TestThrds } from '../support/thrds.ts';
import { waitFor } from '../support/waitFor.ts';
import { type ChatLog, postMessages, seedChat } from './support/chatLog.ts';
import { runThrds, spawnThrds } from './support/runThrds.ts';
import { createEmptyStore } from './support/stores.ts';

const kinds = await storeKinds();

interface Line {
  position: string;
  streamId: string;
  type: string;
  schemaVersion: number;
  data: Record<string, unknown>;
}

const parse = (stdout: string): Line[] =>
  stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Line);

/** Positions as the lines carry them: decimal strings, the API's Position type. */
const positions = (lines: Line[]): string[] => lines.map((e) => e.position);
const range = (from: number, count: number): string[] => Array.from({ length: count }, (_, i) => String(from + i));

describe.each(kinds)('thrds events on %s', (kind) => {
  let t: TestThrds;
  let log: ChatLog;
  beforeAll(async () => {
    t = await openTestThrds(kind);
    log = await seedChat(t.store, { users: 2, threads: 3, messages: 30, v1Every: 2 }); // positions 1-35
  });
  afterAll(async () => {
    await t.dispose();
  });

  const events = async (...args: string[]) => {
    const run = await runThrds(['events', '--database-url', t.database.url, ...args]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    return parse(run.stdout);
  };

  it('prints every event in position order by default', async () => {
    expect(positions(await events())).toEqual(range(1, 35));
  });

  it('keeps to --after and --until', async () => {
    expect(positions(await events('--after', '10', '--until', '14'))).toEqual(['11', '12', '13', '14']);
  });

  it('keeps to one stream with --stream and to types with --type', async () => {
    const stream = `thread-${log.threadIds[1]}`;
    const inStream = await events('--stream', stream);
    expect(inStream.map((e) => e.streamId)).toEqual(new Array(11).fill(stream));
    expect(inStream[0]!.type).toBe('ThreadCreated');
    const created = await events('--type', 'ThreadCreated,UserRegistered');
    expect(created.map((e) => e.type)).toEqual(['UserRegistered', 'UserRegistered', 'ThreadCreated', 'ThreadCreated', 'ThreadCreated']);
  });

  it('prints MessagePosted v1 as stored, and at its current version with format plain under --upcast', async () => {
    const stored = (await events('--type', 'MessagePosted')).filter((e) => e.schemaVersion === 1);
    expect(stored).toHaveLength(15);
    expect(stored[0]!.data).not.toHaveProperty('format');
    const upcast = await events('--type', 'MessagePosted', '--upcast');
    expect(upcast.every((e) => e.schemaVersion === currentSchemaVersion.MessagePosted && e.data.format === 'plain')).toBe(true);
  });

  it('--follow tails new events from another process with no gap and no repeat, until interrupted', async () => {
    const child = spawnThrds(['events', '--follow', '--after', '30', '--poll-ms', '20', '--database-url', t.database.url]);
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    const seen = () => parse(out.slice(0, out.lastIndexOf('\n') + 1)).length;
    const until = (count: number) => waitFor(() => seen() >= count, { what: `${count} events printed by --follow`, timeoutMs: 30_000 });
    try {
      await until(5);
      await Promise.all([postMessages(t.store, log, 100, { concurrency: 10 }), postMessages(t.store, log, 100, { concurrency: 7 })]);
      await until(205);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(positions(parse(out))).toEqual(range(31, 205));
  });

  it('says how to fix a database without a log (exit 3: cannot open the store)', async () => {
    const empty = await createEmptyStore(kind);
    try {
      const run = await runThrds(['events', '--database-url', empty.url]);
      expect(run.stderr).toMatch(/^thrds events: no event log at .*run `thrds migrate` first/);
      expect(run.code).toBe(3);
    } finally {
      await empty.drop();
    }
  });
});
