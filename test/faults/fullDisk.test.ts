/**
 * A full filesystem: the store on a small tmpfs that a filler file fills to
 * the last byte for 5 s under 4 writers and a reader, then deletes. SQLite's
 * file, and an own mariadbd's data directory, each on its own tmpfs. Where the
 * machine does not allow mounting one, the test is skipped and says why.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountSmallDisk, type SmallDisk } from '../support/fullDisk.ts';
import { OwnMariadb, ownMariadbUnavailable } from '../support/ownMariadb.ts';
import { ServerProcess } from '../support/serverProcess.ts';
import { DEADLINE_MS, faultEnv, skipOutsideCi } from './support/faultEnv.ts';
import { expectOutageHandled, runOutage } from './support/outage.ts';

async function smallDisk(sizeMb: number): Promise<SmallDisk | undefined> {
  const disk = await mountSmallDisk(sizeMb);
  if ('unavailable' in disk) {
    skipOutsideCi(disk.unavailable);
    console.warn(`[test] SKIPPED a full-disk test: ${disk.unavailable}`);
    return undefined;
  }
  return disk;
}

describe('SQLite on a full filesystem', () => {
  let disk: SmallDisk | undefined;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    disk = await smallDisk(16);
    if (disk) server = await ServerProcess.start({ databaseUrl: `sqlite:${join(disk.dir, 'thrds.db')}`, env: faultEnv });
  });
  afterAll(async () => {
    await server?.stop();
    await disk?.unmount();
  });

  it('fails writes UNAVAILABLE without crashing, goes unready, recovers once space is freed, and the log verifies', async (context) => {
    if (!disk || !server) return context.skip('tmpfs cannot be mounted here');
    const space = disk;
    const result = await runOutage({
      server,
      storeUrl: `sqlite:${join(space.dir, 'thrds.db')}`,
      fault: { name: 'sqlite-full', inject: () => space.fill(), lift: () => space.free() },
      outageMs: 5000,
    });
    expectOutageHandled(result, { deadlineMs: DEADLINE_MS, writesFail: true, readiness: true, maxLogLines: 40 });
    expect(server.exit, server.output()).toBeUndefined();
  }, 90_000);
});

const noOwnMariadb = skipOutsideCi(await ownMariadbUnavailable());
if (noOwnMariadb) console.warn(`[test] SKIPPED the MariaDB full-disk test: ${noOwnMariadb}`);

describe.skipIf(noOwnMariadb !== undefined)('MariaDB with its data directory on a full filesystem', () => {
  let disk: SmallDisk | undefined;
  let mariadb: OwnMariadb | undefined;
  let server: ServerProcess | undefined;
  const databaseUrl = () => `${mariadb!.url}/thrds_faults`;

  beforeAll(async () => {
    // The initialised data directory is ~80 MB (ibdata1 and a 4 MB redo log).
    disk = await smallDisk(128);
    if (!disk) return;
    mariadb = await OwnMariadb.start({ parentDir: disk.dir });
    server = await ServerProcess.start({ databaseUrl: databaseUrl(), env: faultEnv });
  });
  afterAll(async () => {
    await server?.stop();
    await mariadb?.dispose();
    await disk?.unmount();
  });

  it('fails writes UNAVAILABLE without crashing, goes unready, recovers once space is freed, and the log verifies', async (context) => {
    if (!disk || !server || !mariadb) return context.skip('tmpfs cannot be mounted here');
    const space = disk;
    const result = await runOutage({
      server,
      storeUrl: databaseUrl(),
      fault: { name: 'mariadb-full', inject: () => space.fill(), lift: () => space.free() },
      outageMs: 5000,
    });
    expectOutageHandled(result, { deadlineMs: DEADLINE_MS, writesFail: true, readiness: true, maxLogLines: 40 });
    expect(server.exit, server.output()).toBeUndefined();
    expect(mariadb.isRunning, mariadb.output).toBe(true);
  }, 90_000);
});
