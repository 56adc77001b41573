/**
 * The `thrds` the tests run: src/ compiled once per test run (vitest's
 * globalSetup) into .cli-build/, at the depth of dist/ so that the paths a
 * module finds beside the repository (../../migrations, ../../web/dist)
 * resolve as they do from dist/. Production runs compiled JavaScript, and a
 * command started under tsx spent ~0.8 s more per run compiling the
 * sources (1.3 s against 0.5 s for `thrds --help`), across some 200 runs a
 * test run. tsc builds incrementally: a run with no source changed
 * compiles in a few seconds. bin/thrds.js on the sources keeps its own
 * test (usage.test.ts).
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI_BUILD_DIR = fileURLToPath(new URL('../../.cli-build/', import.meta.url));
export const COMPILED_CLI = fileURLToPath(new URL('../../.cli-build/cli/main.js', import.meta.url));

/** vitest globalSetup: compiles the sources the CLI runs. */
export default async function compileCli(): Promise<void> {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const args = ['-p', 'tsconfig.build.json', '--outDir', CLI_BUILD_DIR, '--incremental', '--tsBuildInfoFile', `${CLI_BUILD_DIR}tsbuildinfo`, '--sourceMap', 'false'];
  try {
    await promisify(execFile)(process.execPath, [tsc, ...args], { cwd: ROOT, maxBuffer: 16 << 20 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`compiling the CLI for the tests failed (tsc ${args.join(' ')}):\n${stdout}${stderr}`);
  }
}
