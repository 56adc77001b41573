/**
 * Read markers are in no log and no read model, so only a backup carries
 * them: `thrds backup` copies the read_markers table on both stores (the
 * SQLite copy holds the rows; the MariaDB dump creates and fills the table).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/openDatabase.ts';
import { runThrds } from '../cli/support/runThrds.ts';
import { storeKinds } from '../support/databases.ts';
import { openTestThrds } from '../support/thrds.ts';

const dir = mkdtempSync(join(tmpdir(), 'thrds-markers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(await storeKinds())('read markers in a backup on %s', (kind) => {
  it('carries every marker to the backup', async () => {
    const t = await openTestThrds(kind);
    try {
      const marker = ['a0000000-0000-4000-8000-00000000000a', 'b0000000-0000-4000-8000-00000000000b', 7, 1_700_000_000_000];
      await t.db.execute('INSERT INTO read_markers (user_id, thread_id, position, updated_at) VALUES (?, ?, ?, ?)', marker);
      const file = join(dir, kind === 'sqlite' ? 'markers.db' : 'markers.sql');
      const run = await runThrds(['backup', file, '--db', t.database.url]);
      expect(run.code).toBe(0);
      if (kind === 'sqlite') {
        const copy = await openDatabase(`sqlite:${file}`, { mustExist: true });
        try {
          expect(await copy.query('SELECT user_id, thread_id, position, updated_at FROM read_markers')).toEqual([
            { user_id: marker[0], thread_id: marker[1], position: marker[2], updated_at: marker[3] },
          ]);
        } finally {
          await copy.close();
        }
      } else {
        const dump = readFileSync(file, 'utf8');
        expect(dump).toMatch(/CREATE TABLE `read_markers`/);
        // The rows follow the table's INSERT line (the dump tool writes them on the next line).
        const data = dump.slice(dump.indexOf('INSERT INTO `read_markers` VALUES'));
        expect(data.slice(0, data.indexOf(';'))).toContain(`('${marker[0]}','${marker[1]}',7,1700000000000)`);
      }
    } finally {
      await t.dispose();
    }
  });
});
