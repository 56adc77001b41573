/**
 * THRDS_BOTS_DIR (src/bots/botsDir.ts) on every store: each `*.json` card
 * becomes a bot, a bad card is refused with one log line naming the file and
 * the field and never stops the others, a second start writes nothing, and
 * a directory that is not there is one error line, not a crash.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadBotsDir } from '../../src/bots/botsDir.ts';
import { activeBots } from '../../src/bots/botsQueries.ts';
import { streamOf } from '../../src/events/types.ts';
import type { CommandDeps } from '../../src/modules/commandDeps.ts';
import { ReadCache } from '../../src/projections/readCache.ts';
import { createRateLimits } from '../../src/protection/rateLimits.ts';
import { captureLogs, type CapturedLogs } from '../support/captureLogs.ts';
import { storeKinds } from '../support/databases.ts';
import { relaxedProtection } from '../support/protection.ts';
import { openTestThrds, type TestThrds } from '../support/thrds.ts';
import type { CharacterCard } from '../../src/bots/types.ts';
import { testCard } from './support/testCard.ts';
import { cardChunk, paintedPng, pngWith } from './support/pngCardFile.ts';
import { createAttachments } from '../../src/attachments/attachments.ts';
import { uploadSettingsFromEnv } from '../../src/attachments/uploadSettings.ts';
import { avatarForChange } from '../../src/projections/usersQueries.ts';

const kinds = await storeKinds();

/** A card file's text; `data` may hold what no card may (the bad cases). */
const card = (data: Record<string, unknown>): string =>
  JSON.stringify(testCard({ name: 'Nameless', description: 'A character for tests.', personality: '', first_mes: 'Hello.', ...(data as Partial<CharacterCard['data']>) }));

describe.each(kinds)('THRDS_BOTS_DIR on %s', (kind) => {
  let t: TestThrds;
  let deps: CommandDeps;
  let dir: string;
  let logs: CapturedLogs;
  const write = (name: string, content: string) => writeFileSync(join(dir, name), content);

  beforeAll(async () => {
    t = await openTestThrds(kind);
    deps = { store: t.store, db: t.db, clock: Date.now, newId: randomUUID, readCache: new ReadCache(t.db), rateLimits: createRateLimits(relaxedProtection().rates) };
    const userId = randomUUID();
    await t.store.append({
      streamId: streamOf.user(userId),
      events: [{ type: 'UserRegistered', data: { userId, username: 'quill', displayName: 'A person' } }],
      metadata: { actorId: null, correlationId: 'test', causationId: null },
      expectedVersion: 'no_stream',
    });
  });
  afterAll(async () => {
    await t.dispose();
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'thrds-bots-dir-'));
    logs = captureLogs('info');
  });
  afterEach(() => {
    logs.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds a PNG card beside the JSON ones with its picture as the avatar, changes the avatar with the picture, and refuses a picture with no card in it', async () => {
    const filesDir = mkdtempSync(join(tmpdir(), 'thrds-bots-dir-files-'));
    const withFiles = { ...deps, attachments: createAttachments(uploadSettingsFromEnv({ THRDS_FILES_DIR: filesDir })) };
    const painted = testCard({ name: `Painted ${kind}` });
    try {
      writeFileSync(join(dir, 'painted.png'), await pngWith(cardChunk(painted)));
      writeFileSync(join(dir, 'photo.PNG'), await pngWith());
      const result = await loadBotsDir(withFiles, dir);
      expect(result).toEqual({ added: [`painted_${kind}`], updated: [], unchanged: [], refused: [{ file: 'photo.PNG', reason: expect.stringContaining('is a PNG with no character card in it') }] });
      const [bot] = (await activeBots(t.db)).filter((b) => b.username === `painted_${kind}`);
      const avatar = async () => (await avatarForChange(t.db, bot!.id))?.avatar?.sha256;
      const first = await avatar();
      expect(first).toMatch(/^[0-9a-f]{64}$/);
      // The next start: nothing written. A new picture in the same card: updated, the old picture's file removed.
      expect(await loadBotsDir(withFiles, dir)).toMatchObject({ unchanged: [`painted_${kind}`] });
      writeFileSync(join(dir, 'painted.png'), await paintedPng('#2060c0', cardChunk(painted)));
      expect(await loadBotsDir(withFiles, dir)).toMatchObject({ updated: [`painted_${kind}`] });
      expect(await avatar()).not.toBe(first);
      expect(await withFiles.attachments.files.stat(first!)).toBeUndefined();
    } finally {
      rmSync(filesDir, { recursive: true, force: true });
    }
  });

  it('adds the good card, refuses the bad one with one warning naming the file and the field, and writes nothing on the next start', async () => {
    write('good.json', card({ name: `Good ${kind}` }));
    write('bad.json', card({ name: 'Bad', first_mes: 42 }));
    write('notes.txt', 'not a card: ignored');
    mkdirSync(join(dir, 'nested.json'));
    const first = await loadBotsDir(deps, dir);
    expect(first).toEqual({ added: [`good_${kind}`], updated: [], unchanged: [], refused: [{ file: 'bad.json', reason: expect.stringContaining('data.first_mes must be a string') }] });
    expect((await activeBots(t.db)).map((b) => b.username)).toContain(`good_${kind}`);
    const warnings = logs.atLeast('warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 'warn', file: 'bad.json', msg: expect.stringMatching(/^THRDS_BOTS_DIR bad\.json: data\.first_mes must be a string.*; skipped$/) });

    const head = (await t.store.head()).position;
    const again = await loadBotsDir(deps, dir);
    expect(again).toMatchObject({ added: [], updated: [], unchanged: [`good_${kind}`] });
    expect((await t.store.head()).position).toBe(head);

    write('good.json', card({ name: `Good ${kind}`, description: 'Changed in its file.' }));
    expect((await loadBotsDir(deps, dir)).updated).toEqual([`good_${kind}`]);
  });

  it("takes the card's data.extensions.thrds.username, and refuses a second file asking for the same one, or a person's", async () => {
    write('a.json', card({ name: 'Alpha', extensions: { thrds: { username: `alpha_${kind}` } } }));
    write('b.json', card({ name: 'Beta', extensions: { thrds: { username: `alpha_${kind}` } } }));
    write('c.json', card({ name: 'Quill' }));
    write('d.json', '{"spec": "chara_card_v2", "data": ');
    const result = await loadBotsDir(deps, dir);
    expect(result.added).toEqual([`alpha_${kind}`]);
    expect(result.refused).toEqual([
      { file: 'b.json', reason: expect.stringContaining('a.json already holds') },
      { file: 'c.json', reason: expect.stringMatching(/quill is taken/) },
      { file: 'd.json', reason: expect.stringMatching(/^is not JSON: /) },
    ]);
    expect(logs.atLeast('warn').map((line) => line.file)).toEqual(['b.json', 'c.json', 'd.json']);
  });

  it('adds each card once when two instances start on one store at the same moment', async () => {
    write('twin.json', card({ name: `Twin ${kind}` }));
    const other = await t.another();
    const otherDeps: CommandDeps = { ...deps, store: other.store, db: other.db, readCache: new ReadCache(other.db) };
    const before = (await t.store.head()).position;
    const results = await Promise.all([loadBotsDir(deps, dir), loadBotsDir(otherDeps, dir)]);
    expect(results.flatMap((r) => r.added)).toEqual([`twin_${kind}`]);
    expect(results.flatMap((r) => r.unchanged)).toEqual([`twin_${kind}`]);
    expect((await t.store.readAll({ after: before })).map((e) => e.type)).toEqual(['BotAdded']);
  });

  it('logs one error and loads nothing when the directory is not there', async () => {
    const missing = join(dir, 'no-such-dir');
    const result = await loadBotsDir(deps, missing);
    expect(result).toEqual({ added: [], updated: [], unchanged: [], refused: [{ file: missing, reason: 'cannot read the directory: no such directory' }] });
    const errors = logs.atLeast('warn');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ level: 'error', botsDir: missing });
  });
});
