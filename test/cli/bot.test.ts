/**
 * `thrds bot add | list | remove` through the real command, on every store:
 * a card becomes a bot by nobody (BotAdded, actorId null), the same card
 * again writes nothing, a changed card updates it, a removed bot shows as
 * removed; a bad card is refused with exit 2 and a message naming the file
 * and the field, before any store is touched.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamOf } from '../../src/events/types.ts';
import { storeKinds } from '../support/databases.ts';
import { openTestThrds, type TestThrds } from '../support/thrds.ts';
import { createThreads } from './support/chatLog.ts';
import { runThrds } from './support/runThrds.ts';
import { cardChunk, pngWith } from '../bots/support/pngCardFile.ts';

const kinds = await storeKinds();

/** A valid Character Card V2 with every field, `data` changed by `data`. */
function cardJson(data: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    spec: 'chara_card_v2',
    spec_version: '2.0',
    data: {
      name: 'Ada Lovelace',
      description: 'A mathematician who reads every thread twice.',
      personality: 'precise, warm, curious',
      scenario: 'A team chat.',
      first_mes: 'Hello, {{user}}. I am {{char}}.',
      mes_example: '<START>\n{{user}}: Hi\n{{char}}: Good day.',
      creator_notes: 'A test character.',
      system_prompt: '',
      post_history_instructions: '',
      alternate_greetings: ['Good morning, {{user}}.'],
      tags: ['test'],
      creator: 'Thrds tests',
      character_version: '1',
      extensions: {},
      ...data,
    },
  };
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/** No model configured, whatever the shell running the tests has set. */
const noModel = { THRDS_LLM_BASE_URL: '', THRDS_LLM_API_KEY: '', THRDS_LLM_MODEL: '' };

let dir: string;
const file = (name: string, content: string | Record<string, unknown>): string => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'thrds-bot-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(kinds)('thrds bot on %s', (kind) => {
  let t: TestThrds;
  let personId: string;
  const bot = (...args: string[]) => runThrds(['bot', ...args, '--db', t.database.url], { env: noModel });
  const head = async () => (await t.store.head()).position;

  beforeAll(async () => {
    t = await openTestThrds(kind);
    // A person holding a username a card could ask for.
    const userId = randomUUID();
    personId = userId;
    await t.store.append({
      streamId: streamOf.user(userId),
      events: [{ type: 'UserRegistered', data: { userId, username: 'grace', displayName: 'Grace' } }],
      metadata: { actorId: null, correlationId: 'test', causationId: null },
      expectedVersion: 'no_stream',
    });
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('adds a card as a bot by nobody, lists it, writes nothing for the same card, updates a changed one, and lists a removed one as removed', async () => {
    const path = file(`ada-${kind}.json`, cardJson());
    const before = await head();
    const added = await bot('add', path);
    expect(added.stderr).toBe('');
    expect(added.stdout.trim()).toMatch(new RegExp(`^added @ada_lovelace \\(Ada Lovelace\\), id ${UUID}$`));
    expect(added.code).toBe(0);
    const id = new RegExp(UUID).exec(added.stdout)![0];
    const [event] = await t.store.readAll({ after: before });
    expect(event).toMatchObject({ type: 'BotAdded', streamId: streamOf.user(id), data: { userId: id, username: 'ada_lovelace', displayName: 'Ada Lovelace' }, metadata: { actorId: null } });

    const listed = await bot('list');
    const [status, line, ...rest] = listed.stdout.trim().split('\n');
    expect(status).toMatch(/^bots are off: THRDS_LLM_BASE_URL is not set/);
    expect(line).toMatch(/^@ada_lovelace +Ada Lovelace +added \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ +active +0 threads$/);
    expect(rest).toEqual([]);
    expect(listed.code).toBe(0);
    // Invited to a thread: the list counts it.
    const [threadId] = await createThreads(t.store, [personId], 1);
    await t.store.append({ streamId: streamOf.thread(threadId!), events: [{ type: 'BotInvited', data: { threadId, botId: id } }], metadata: { actorId: personId, correlationId: 'test', causationId: null }, expectedVersion: 'stream_exists' });
    expect((await bot('list')).stdout).toMatch(/@ada_lovelace +Ada Lovelace +added \S+ +active +1 thread\n/);
    const invited = await head();

    const again = await bot('add', path, '--json');
    expect(JSON.parse(again.stdout)).toEqual({ outcome: 'unchanged', id, username: 'ada_lovelace', displayName: 'Ada Lovelace' });
    expect(await head()).toBe(invited);

    const changed = await bot('add', file(`ada-${kind}.json`, cardJson({ name: 'Ada King', description: 'Now a countess.', extensions: { thrds: { username: 'ada_lovelace' } } })));
    expect(changed.stdout.trim()).toBe(`updated @ada_lovelace (Ada King), id ${id}`);
    expect(changed.code).toBe(0);
    expect((await t.store.readAll({ after: invited })).map((e) => e.type)).toEqual(['BotCardChanged']);

    const removed = await bot('remove', 'ada_lovelace');
    expect(removed.stdout.trim()).toBe(`removed @ada_lovelace (Ada King), id ${id}`);
    expect(removed.code).toBe(0);
    const twice = await bot('remove', 'ada_lovelace');
    expect(twice.stdout.trim()).toBe('@ada_lovelace (Ada King) was removed already; nothing was written');
    expect(twice.code).toBe(0);
    const json = JSON.parse((await bot('list', '--json')).stdout) as { answering: boolean; status: string; bots: Array<Record<string, unknown>> };
    expect(json).toMatchObject({ answering: false, status: expect.stringMatching(/^bots are off: THRDS_LLM_BASE_URL is not set/) });
    expect(json.bots).toEqual([{ id, username: 'ada_lovelace', displayName: 'Ada King', addedAt: expect.any(String), removedAt: expect.stringMatching(/Z$/), threads: 1 }]);
    expect((await bot('list')).stdout).toMatch(/@ada_lovelace +Ada King +added \S+ +removed \S+ +1 thread\n/);
  });

  it('takes --username over the card, and refuses a username a person holds with exit 1, writing nothing', async () => {
    const path = file(`bot-${kind}.json`, cardJson({ name: 'Helper' }));
    const named = await bot('add', path, '--username', 'helper_two');
    expect(named.stdout).toMatch(/^added @helper_two \(Helper\)/);
    const before = await head();
    const taken = await bot('add', path, '--username', 'grace');
    expect(taken.stderr).toMatch(/^thrds bot: .*grace.*taken.*; nothing was written\n$/);
    expect(taken.code).toBe(1);
    const badName = await bot('add', path, '--username', 'No Spaces');
    expect(badName.stderr).toContain('username');
    expect(badName.code).toBe(2);
    expect(await head()).toBe(before);
  });

  it('adds a PNG card (the card in its chara chunk) as it would the JSON, its picture the bot\'s avatar in THRDS_FILES_DIR', async () => {
    const path = join(dir, `pip-${kind}.png`);
    const filesDir = join(dir, `files-${kind}`);
    const withFiles = (...args: string[]) => runThrds(['bot', ...args, '--db', t.database.url], { env: { ...noModel, THRDS_FILES_DIR: filesDir } });
    writeFileSync(path, await pngWith(cardChunk(cardJson({ name: 'Pip Png' }))));
    const added = await withFiles('add', path);
    expect(added.stderr).toBe('');
    expect(added.stdout.trim()).toMatch(new RegExp(`^added @pip_png \\(Pip Png\\), id ${UUID}; picture set from the card$`));
    expect(added.code).toBe(0);
    const id = new RegExp(UUID).exec(added.stdout)![0];
    const [event] = (await t.store.readStream(streamOf.user(id))).filter((e) => e.type === 'UserAvatarChanged');
    expect(event).toMatchObject({ metadata: { actorId: null }, data: { userId: id, avatar: { contentType: 'image/webp', width: 32, height: 32 } } });
    const sha256 = (event!.data as { avatar: { sha256: string } }).avatar.sha256;
    // The thumbnail is in the file store, under its digest.
    expect(readdirSync(join(filesDir, sha256.slice(0, 2)))).toContain(sha256);

    // The same card again: nothing written, picture included.
    const before = await head();
    const again = await withFiles('add', path, '--json');
    expect(JSON.parse(again.stdout)).toEqual({ outcome: 'unchanged', id, username: 'pip_png', displayName: 'Pip Png', picture: 'unchanged' });
    expect(await head()).toBe(before);
  });

  it('refuses to remove a bot that is not there with exit 1', async () => {
    const run = await bot('remove', 'nobody_here');
    expect(run.stderr).toMatch(/^thrds bot: .*nothing was written\n$/);
    expect(run.code).toBe(1);
  });

  it('says which model bots answer through, without the key', async () => {
    const run = await runThrds(['bot', 'list', '--db', t.database.url], {
      env: { THRDS_LLM_BASE_URL: 'http://127.0.0.1:9/v1', THRDS_LLM_MODEL: 'tiny-model', THRDS_LLM_API_KEY: 'sk-secret-123' },
    });
    const [status] = run.stdout.split('\n');
    expect(status).toMatch(/^bots answer through .*http:\/\/127\.0\.0\.1:9\/v1.*tiny-model/);
    expect(run.stdout + run.stderr).not.toContain('sk-secret-123');
    expect(run.code).toBe(0);
    const broken = await runThrds(['bot', 'list', '--db', t.database.url], { env: { THRDS_LLM_BASE_URL: 'http://127.0.0.1:9/v1', THRDS_LLM_MODEL: '' } });
    expect(broken.stdout.split('\n')[0]).toMatch(/^bots are off: .*THRDS_LLM_MODEL/);
  });
});

describe('thrds bot add with a bad card', () => {
  // The card is checked before any store is opened: these name a store that does not exist.
  const add = (path: string) => runThrds(['bot', 'add', path, '--db', `sqlite:${join(dir, 'never-created.db')}`], { env: noModel });

  it.each([
    ['not JSON', 'broken.json', '{\n  "spec": "chara_card_v2",\n  "data": {,\n}', /^thrds bot: .*broken\.json: is not JSON: .* at line 3, column \d+\n$/],
    ['a V1 card', 'v1.json', { name: 'Old', description: '', personality: '', scenario: '', first_mes: 'Hi', mes_example: '' }, /v1\.json: .*(V1|spec)/],
    ['a card without data.name', 'nameless.json', (() => { const c = cardJson(); delete (c.data as Record<string, unknown>).name; return c; })(), /nameless\.json: .*data\.name/],
    ['a card with a number for first_mes', 'typed.json', cardJson({ first_mes: 42 }), /typed\.json: data\.first_mes must be a string/],
    ['a card asking for a username that is not a string', 'asks.json', cardJson({ extensions: { thrds: { username: 7 } } }), /asks\.json: data\.extensions\.thrds\.username must be a string/],
    ['a missing file', 'missing.json', undefined, /missing\.json: cannot be read: no such file/],
  ] as const)('refuses %s with exit 2, naming the file and the field', async (_what, name, content, message) => {
    const path = content === undefined ? join(dir, name) : file(name, content as string | Record<string, unknown>);
    const run = await add(path);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(run.stdout).toBe('');
    expect(run.code).toBe(2);
  });

  it('refuses a file over 256 KB without parsing it', async () => {
    const run = await add(file('huge.json', JSON.stringify(cardJson({ description: 'x'.repeat(300 * 1024) }))));
    expect(run.stderr).toMatch(/huge\.json: is larger than 256 KB/);
    expect(run.code).toBe(2);
  });
});

describe('thrds bot usage', () => {
  it('has help, the same from `thrds help bot` and `thrds bot --help`, and refuses an unknown action or a missing argument with exit 2', async () => {
    const [help, dashed, unknown, missing, extra, misplaced] = await Promise.all([
      runThrds(['help', 'bot']),
      runThrds(['bot', '--help']),
      runThrds(['bot', 'delete', 'x']),
      runThrds(['bot', 'remove']),
      runThrds(['bot', 'list', 'x']),
      runThrds(['bot', 'list', '--username', 'x']),
    ]);
    expect(help.stdout).toContain('usage: thrds bot [options] ACTION [TARGET]');
    expect(help.stdout).toContain('--username NAME');
    expect(help.stdout).toContain('THRDS_BOTS_DIR');
    expect(help.code).toBe(0);
    expect(dashed).toEqual(help);
    expect(unknown.stderr).toContain("unknown action 'delete' (known: add, list, remove)");
    expect(missing.stderr).toContain('missing argument USERNAME');
    expect(extra.stderr).toContain("unexpected argument 'x'");
    expect(misplaced.stderr).toContain('--username is only for bot add');
    for (const run of [unknown, missing, extra, misplaced]) expect(run.code).toBe(2);
    expect((await runThrds(['--help'])).stdout).toMatch(/\n {2}bot +AI characters/);
  });
});
