/**
 * Runs the real `thrds` command as a child process: compiled, as production
 * runs it (test/support/compiledCli.ts), or with `{ bin: 'sources' }`
 * bin/thrds.js on the TypeScript sources, as a development install runs it.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { COMPILED_CLI } from '../../support/compiledCli.ts';

export const THRDS_BIN = fileURLToPath(new URL('../../../bin/thrds.js', import.meta.url));

export interface ThrdsRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Text, or `{ file }` to stream a file to standard input. */
  readonly stdin?: string | { readonly file: string };
  readonly env?: NodeJS.ProcessEnv;
  readonly nodeArgs?: readonly string[];
  /** Kill the child after this long (so a hang fails the test instead of outliving it). Default 55 s. */
  readonly timeoutMs?: number;
  /** 'sources': bin/thrds.js under tsx instead of the compiled CLI. */
  readonly bin?: 'compiled' | 'sources';
}

export function spawnThrds(args: readonly string[], options: RunOptions = {}): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.bin === 'sources' ? THRDS_BIN : COMPILED_CLI, ...args], {
    env: { ...process.env, DATABASE_URL: '', ...options.env },
    stdio: 'pipe',
  });
  // A command that refuses its input may exit before reading all of it.
  child.stdin.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  const stdin = options.stdin;
  if (typeof stdin === 'string') child.stdin.end(stdin);
  else if (stdin) createReadStream(stdin.file).pipe(child.stdin);
  else child.stdin.end();
  return child;
}

export function runThrds(args: readonly string[], options: RunOptions = {}): Promise<ThrdsRun> {
  const child = spawnThrds(args, options);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 55_000);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
