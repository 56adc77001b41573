/**
 * The projections dispatch to the event modules and the modules hand out
 * read-model rows: a runtime import between them in the wrong direction is a
 * cycle that leaves the module list half-built, depending on which file a
 * program happens to import first. Each file here is imported first, alone,
 * in a fresh process.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const entries = [
  ...readdirSync('src/modules').map((file) => `src/modules/${file}`),
  ...readdirSync('src/projections').map((file) => `src/projections/${file}`),
].filter((file) => file.endsWith('.ts'));

describe('import order', () => {
  it.concurrent.each(entries)('%s can be the first file a process imports', async (file) => {
    const script = `const { eventModules } = await import('./${file}').then(() => import('./src/modules/index.ts')); if (eventModules.some((m) => !m)) throw new Error('half-built module list');`;
    await expect(run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 60_000 })).resolves.toBeDefined();
  });
});
