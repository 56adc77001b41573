/**
 * A copy of this checkout installed as production installs it: `npm run build`
 * with every dependency, then `npm prune --omit=dev`, so what runs from it runs
 * without tsx, Vite or TypeScript. node_modules is hard-linked rather than
 * reinstalled (a fresh `npm ci` recompiles better-sqlite3, ~100 s); prune only
 * unlinks in the copy, and the one file npm rewrites there is copied for real.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Ignored or generated: a copy never inherits a build from the checkout. */
const skipped = new Set(['node_modules', 'dist', 'data', '.git', 'test-artifacts', 'scratch', 'web/dist', 'web/node_modules', 'bench/results']);

export interface ProductionCopy {
  readonly dir: string;
  dispose(): void;
}

/** npm as the test runner was started with (CI puts Node 24's first on PATH), else the one on PATH: [command, ...args]. */
export function npmCommand(args: readonly string[]): [string, ...string[]] {
  const cli = process.env.npm_execpath;
  return cli && basename(cli) === 'npm-cli.js' ? [process.execPath, cli, ...args] : ['npm', ...args];
}

export function npm(args: readonly string[], cwd: string): Promise<{ stdout: string; stderr: string }> {
  const [command, ...rest] = npmCommand(args);
  return run(command, rest, { cwd, env: { ...process.env, NODE_OPTIONS: '' }, maxBuffer: 16 * 1024 * 1024 });
}

export async function productionCopy(): Promise<ProductionCopy> {
  const dir = mkdtempSync(join(tmpdir(), 'thrds-production-'));
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  try {
    cpSync(repoRoot, dir, { recursive: true, filter: (source) => !skipped.has(relative(repoRoot, source)) });
    await linkOrCopy(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
    rmSync(join(dir, 'node_modules', '.package-lock.json'), { force: true });
    copyFileSync(join(repoRoot, 'node_modules', '.package-lock.json'), join(dir, 'node_modules', '.package-lock.json'));
    await npm(['run', 'build'], dir);
    await npm(['prune', '--omit=dev', '--offline', '--no-audit', '--no-fund'], dir);
    return { dir, dispose };
  } catch (error) {
    dispose();
    throw error;
  }
}

/**
 * A directory holding only what the Dockerfile's runtime stage copies from the
 * build stage, at the same paths: what the image would run, minus the engine.
 */
export async function imageLayout(copy: ProductionCopy, paths: readonly string[]): Promise<ProductionCopy> {
  const dir = mkdtempSync(join(tmpdir(), 'thrds-image-'));
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  try {
    for (const path of paths) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      await linkOrCopy(join(copy.dir, path), join(dir, path));
    }
    return { dir, dispose };
  } catch (error) {
    dispose();
    throw error;
  }
}

/** Hard links where source and target share a filesystem (fast), a real copy where they do not. */
async function linkOrCopy(source: string, target: string): Promise<void> {
  try {
    await run('cp', ['-al', source, target]);
  } catch {
    rmSync(target, { recursive: true, force: true });
    await run('cp', ['-a', source, target]);
  }
}
